// @vitest-environment node
// Hostile review 6: the early code exchange runs in the constructor; on a server it must do nothing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { TEST_CLIENT_ID, testSessionOptions } from '../../src/testing/index';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('hostile6: server rendering', () => {
  it('held: no window: constructing (and mounting) a session sends nothing and throws nothing', () => {
    const fetch = vi.fn();
    expect(globalThis.location).toBeUndefined();
    const session = new CozeSession(testSessionOptions({ redirectUri: 'https://app.example/callback', fetch }));
    expect(session.getSnapshot().status).toBe('signed-out');
    session.mount()();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('held: a server that fakes `location` on a callback URL but has no storage sends nothing and throws nothing', () => {
    vi.stubGlobal('location', { href: 'https://app.example/callback?code=c0de&state=st4te', origin: 'https://app.example' });
    const fetch = vi.fn();
    let session: CozeSession | undefined;
    expect(() => (session = new CozeSession(testSessionOptions({ redirectUri: 'https://app.example/callback', fetch })))).not.toThrow();
    expect(session?.getSnapshot().status).toBe('signed-out');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('held (pinned): a server shim with `location` and a Storage holding a record looks like a browser: the exchange leaves, once, and nothing throws', () => {
    // A server with `location` and a storage polyfill (some SSR shims) is a browser as far as the
    // constructor can tell; the early exchange then goes out. Pinned so that a change is noticed.
    const items = new Map<string, string>([[`coze-auth.tx.${TEST_CLIENT_ID}.st4te`, JSON.stringify({ client_id: TEST_CLIENT_ID, code_verifier: 'v'.repeat(43) })]]);
    const storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k), clear: () => items.clear(), key: () => null, length: 0 } as Storage;
    vi.stubGlobal('location', { href: 'https://app.example/callback?code=c0de&state=st4te', origin: 'https://app.example' });
    const fetch = vi.fn(async () => new Response('{}', { status: 500 }));
    expect(() => new CozeSession(testSessionOptions({ redirectUri: 'https://app.example/callback', fetch, transactionStorage: storage }))).not.toThrow();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(items.size).toBe(0);
  });
});
