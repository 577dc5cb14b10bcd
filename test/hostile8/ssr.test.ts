// @vitest-environment node
// Hostile review 8: login() now goes through the engine; on a server (no window, no storage) it
// must still fail typed and leave nothing behind.
import { describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { testSessionOptions } from '../../src/testing/index';

describe('hostile8: server rendering', () => {
  it('held: login() on a server rejects with storage_unavailable, navigates nowhere, emits one error', async () => {
    expect(globalThis.window).toBeUndefined();
    const navigate = vi.fn();
    const session = new CozeSession(testSessionOptions({ redirectUri: 'https://app.example/callback', navigate, fetch: vi.fn() }));
    const errors: unknown[] = [];
    session.onEvent((event) => event.type === 'error' && errors.push(event));
    await expect(session.login()).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(navigate).not.toHaveBeenCalled();
    expect(errors).toHaveLength(1);
  });

  it('held: handleRedirectCallback() on a server rejects typed and sends nothing', async () => {
    const fetch = vi.fn();
    const session = new CozeSession(testSessionOptions({ redirectUri: 'https://app.example/callback', fetch }));
    await expect(session.handleRedirectCallback()).rejects.toMatchObject({ name: 'CozeAuthError' });
    expect(fetch).not.toHaveBeenCalled();
    expect(session.getSnapshot().status).toBe('signed-out');
  });
});
