// Hostile review 16: a session built on the callback page (generation 0) that takes the started
// sign-in through the LATE join (SessionEngine.completeCallback(url, 0) → startedSignIn →
// #joinedCallback), then signs out. That join goes around callbackRegistry's joinOnce, so the
// entry's `joins` never records it. Separate storages and separate tab buses: only the callback registry
// connects the two sessions (as in hostile15's unrelatedLogout).
// (On one shared channel the sign-out announcement reaches the first session: this passes then.)
// `fixed:` tests failed against 16cad5f and pass since; `held:` tests pin what held.
import { afterEach, describe, expect, it } from 'vitest';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import { CozeSession } from '../../src/core/session/CozeSession';
import { flushAsync as settle } from '../../src/testing/index';
import { createTabBus, landOnCallback, mapAdapter, sessionOptions, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  window.history.replaceState(null, '', '/');
  forgetCallbacksInFlight();
  sessionStorage.clear();
  localStorage.clear();
});

describe('hostile16: sign-out after a late (generation-0) join took the sign-in', () => {
  // Two providers on the callback page; the first completes the callback, the second mounts later
  // and takes that sign-in (same sessionId). The user signs out in the second: the first — holding
  // the very same sign-in — stays signed in, and its storage keeps it (a reload signs back in).
  // A joiner that took the sign-in through joinOnce (built mid-exchange) ends the starter's
  // sign-in on the same logout(): the late joiner's sign-out is weaker for no reason.
  // Suspected cause: the late join path (SessionEngine.completeCallback generation 0 →
  // #joinedCallback(startedSignIn(...), 0)) never records the joiner in the entry's `joins`, and
  // CozeSession#completeCallback cleared `pendingCallbackUrl`, so endCallbackSignIn(host,
  // undefined) matches neither `entry.state === state` nor `joined`.
  it('fixed: the late session took the sign-in and signs out: the first session (same sign-in) stays signed in and stored', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/after');
    const firstItems = new Map<string, string>();
    const first = new CozeSession(sessionOptions({ tokenStorage: mapAdapter(firstItems, false), tabChannel: createTabBus().channel() }));
    const late = new CozeSession(sessionOptions({ tokenStorage: mapAdapter(new Map(), false), tabChannel: createTabBus().channel() }));
    expect(late.getSnapshot().status).toBe('signing-in');
    cleanups.push(first.mount());
    expect(await first.handleRedirectCallback()).toEqual({ returnTo: '/after', alreadySignedIn: false });
    const sessionId = first.getSnapshot().sessionId;
    cleanups.push(late.mount());
    expect(await late.handleRedirectCallback()).toEqual({ returnTo: '/after', alreadySignedIn: false });
    await settle();
    expect(late.getSnapshot().sessionId, 'the late session holds the same sign-in').toBe(sessionId);
    late.logout();
    await settle();
    expect(late.getSnapshot().status).toBe('signed-out');
    expect(first.getSnapshot().status, 'the user ended the sign-in both sessions hold').toBe('signed-out');
    expect([...firstItems.keys()], 'a reload must not sign back in').toEqual([]);
  });
});
