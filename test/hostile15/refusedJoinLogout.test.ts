// Hostile review 15: logout() of a session whose join of another session's sign-in did NOT give it
// that sign-in (refused, or the starter's exchange failed). The `joins` WeakMap of a `started`
// entry keeps the joiner for good, and the entry stays joinable as long as the starter's
// generation has not moved; endCallbackSignIn then calls the starter's logout() for a sign-in the
// joiner never held.
// `fixed:` tests failed against a6beaf2 and pass since.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { createTabBus, gatedFetch, landOnCallback, sessionOptions, setupFakeCoze, startSignIn } from '../helpers/harness';
import { modelFetch } from '../../src/testing/index';
import { createWorld, settle } from '../hostile7/world';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const fake = setupFakeCoze();
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  window.history.replaceState(null, '', '/');
  forgetCallbacksInFlight();
  sessionStorage.clear();
  localStorage.clear();
});

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code,
  );

describe('hostile15: logout() of a joiner that never got the joined sign-in', () => {
  // A worker-mode provider (mounted, it stays) completes the callback in its vault; a second,
  // page-mode provider of the same client is constructed while the code is in the vault and joins
  // at construction. The join is refused (login_required: the page-mode session cannot renew a
  // vault's sign-in). The user then presses "Sign out" in the page-mode widget (or the app calls
  // logout() to reset it): the worker-mode provider's live sign-in ends — in the vault, for every
  // tab. Suspected cause: callbackRegistry.endCallbackSignIn treats `entry.joins.has(host)` as
  // "this session holds that sign-in"; a refused (or failed) join stays in `joins` and the entry
  // stays joinable while the starter's generation is unchanged.
  it('fixed: a page-mode joiner refused the vault sign-in signs out: the worker-mode provider it never shared a sign-in with is signed out', async () => {
    forgetCallbacksInFlight();
    const world = createWorld(START, { mode: 'shared', accessTokenTtlSeconds: 900 });
    const starter = world.openTab();
    await settle();
    const url = await startSignIn(starter.session, world.model, starter.navigate, '/after');
    starter.unmount();
    window.history.replaceState(null, '', url);
    world.hold();
    const owner = world.openTab();
    await settle();
    expect(owner.session.getSnapshot().status).toBe('signing-in');
    const ownerCallback = outcome(owner.session.handleRedirectCallback());
    const joiner = new CozeSession(sessionOptions({ clock: world.clock, fetch: modelFetch(world.model), tokenStorage: 'sessionStorage' }));
    cleanups.push(joiner.mount());
    const joined = outcome(joiner.handleRedirectCallback());
    await world.release();
    await vi.waitFor(() => expect(joiner.getSnapshot().status).not.toBe('signing-in'));
    expect(await ownerCallback).toBe('resolved');
    expect(await joined, 'the join is refused').toBe('login_required');
    expect(joiner.getSnapshot().status).toBe('signed-out');
    expect(owner.session.getSnapshot().status).toBe('signed-in');
    const ownerSignOuts = () => owner.events.filter((event: CozeAuthEvent) => event.type === 'signed-out').length;

    joiner.logout();
    await settle();
    expect(ownerSignOuts(), 'the worker-mode provider was signed out by a session that never held its sign-in').toBe(0);
    expect(owner.session.getSnapshot().status).toBe('signed-in');
  });

  // The starter's exchange is rejected by Coze (a code already used: invalid_grant). The joiner
  // (a second provider constructed mid-exchange) ends with the same typed error. sign-in-failed
  // does not move the starter's generation, so its entry stays joinable. The joiner's logout()
  // (the app resets after showing the error) calls the starter's logout(): the starter's error,
  // which its error notice / useCozeAuth().error shows, is wiped by another component's action.
  // Suspected cause: endCallbackSignIn's `joinable(entry)` is generation equality only; a
  // failed sign-in keeps the generation (reduceShellAction 'sign-in-failed'), so the joiner's
  // logout reaches a starter with no sign-in to end.
  it('fixed: the starter’s exchange failed; the joiner’s logout() wipes the starter’s error', async () => {
    const model = fake.reset();
    const bus = createTabBus();
    const gate = gatedFetch();
    await landOnCallback(model, '/after');
    const url = window.location.href;
    const options = () => sessionOptions({ tokenStorage: 'sessionStorage', tabChannel: bus.channel(), fetch: gate.fetch });
    gate.hold();
    const starter = new CozeSession(options());
    cleanups.push(starter.mount());
    const started = outcome(starter.handleRedirectCallback(url));
    await settle();
    const joiner = new CozeSession(sessionOptions({ tokenStorage: 'memory', tabChannel: createTabBus().channel(), fetch: gate.fetch }));
    cleanups.push(joiner.mount());
    const joined = outcome(joiner.handleRedirectCallback());
    model.failNext('exchange', { status: 400 });
    await gate.release();
    const startedCode = await started;
    const joinedCode = await joined;
    await settle();
    expect(startedCode).not.toBe('resolved');
    expect(joinedCode).toBe(startedCode);
    const error = starter.getSnapshot().error;
    expect(error?.code).toBe(startedCode);
    joiner.logout();
    await settle();
    expect(starter.getSnapshot().error, 'the starter’s error is its own to clear').toBe(error);
  });
});
