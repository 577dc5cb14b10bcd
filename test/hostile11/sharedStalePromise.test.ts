// Hostile review 11: a session built on the callback page (signing-in, generation 0) that mounts
// after the starter of that callback signed out, while the starter's exchange is still on the wire.
// `fixed:` tests failed against 018c85d and pass since; `held:` tests pin what held.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { flushAsync as settle, TEST_CLIENT_ID } from '../../src/testing/index';
import { gatedFetch, landOnCallback, sessionOptions, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();
const TOKENS_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  vi.unstubAllGlobals();
});

describe('hostile11: a stale in-flight entry shared with a session built on the callback page', () => {
  // Two sessions built on the callback page (both `signing-in`, generation 0). The first mounts and
  // starts the exchange; the user signs out there while it is on the wire (its generation moves, so
  // its registry entry is no longer joinable). The second mounts now: handleRedirectCallback →
  // runOncePerCallback finds the entry → joinOrShare sees a stale generation and hands back the
  // FIRST session's own promise. The second's #completeCallback never runs: no `callback-started`,
  // no generation-0 answer, nothing clears its pendingCallbackUrl. When the exchange lands the
  // shared promise rejects (login_required) — the second's <CozeCallback> shows that error — while
  // the second's state stays `signing-in` for good (RequireCozeAuth spins; nothing else calls it).
  // Suspected cause: callbackRegistry.ts joinOrShare returns `entry.promise` to any host when the
  // entry's generation is stale; only its own host should get it, a stranger should complete on
  // its own (generation-0 answer) instead.
  it('fixed: the starter signed out mid-exchange; a session built on the callback page mounts then: it stays signing-in for good', async () => {
    const model = fake.reset();
    const slow = gatedFetch();
    slow.hold();
    await landOnCallback(model, '/after');
    const options = sessionOptions({ fetch: slow.fetch });
    const first = new CozeSession(options);
    const second = new CozeSession(options);
    const events: CozeAuthEvent[] = [];
    second.onEvent((event) => events.push(event));
    cleanups.push(first.mount());
    await settle();
    first.logout();
    expect(first.getSnapshot().status).toBe('signed-out');
    cleanups.push(second.mount());
    const callback = second.handleRedirectCallback().catch((error: { code?: string }) => error);
    await slow.release();
    await callback;
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await settle();
    expect(first.getSnapshot().status).toBe('signed-out');
    expect(sessionStorage.getItem(TOKENS_KEY)).toBeNull();
    expect(second.getSnapshot().status, 'the sign-in ended: not signing-in any more').toBe('signed-out');
  });

  it('held: server rendering (no document, no location): building sessions of a client never joins or throws', () => {
    fake.reset();
    vi.stubGlobal('document', undefined);
    vi.stubGlobal('location', undefined);
    const a = new CozeSession(sessionOptions());
    const b = new CozeSession(sessionOptions());
    expect(a.getSnapshot().status).toBe('signed-out');
    expect(b.getSnapshot().status).toBe('signed-out');
  });
});
