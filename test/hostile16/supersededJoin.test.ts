// Hostile review 16: a joiner that moves on to a sign-in of its own while its join still waits.
// The join's `joins` record stays, and the joined entry stays in `inFlight` (the starter's code is
// still on the wire), so callbackRegistry.endCallbackSignIn counts the join as "waiting" although
// the joiner's generation has moved and its join can never give it that sign-in any more
// (#joinedCallback answers `alreadySignedIn` / not current). Separate storages, no tab bus: only the
// callback registry connects the two sessions.
// `fixed:` tests failed against 16cad5f and pass since; `held:` tests pin what held.
import { afterEach, describe, expect, it } from 'vitest';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { flushAsync as settle } from '../../src/testing/index';
import { gatedFetch, landOnCallback, mapAdapter, sessionOptions, setupFakeCoze, startSignIn } from '../helpers/harness';

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
    (result) => result,
    (error: { code?: string }) => error.code,
  );

async function joinerWithItsOwnSignIn() {
  const model = fake.reset();
  const gate = gatedFetch();
  await landOnCallback(model, '/after');
  gate.hold(); // the starter's exchange (sent from its constructor) stays on the wire
  const starter = new CozeSession(sessionOptions({ fetch: gate.fetch, tokenStorage: mapAdapter(new Map(), false) }));
  const starterEvents: CozeAuthEvent[] = [];
  starter.onEvent((event) => starterEvents.push(event));
  cleanups.push(starter.mount());
  const started = outcome(starter.handleRedirectCallback());
  await settle();
  expect(gate.pending()).toBe(1);
  // A second provider of the client, built mid-exchange: it joins at construction.
  const joinerOptions = sessionOptions({ tokenStorage: mapAdapter(new Map(), false) });
  const joiner = new CozeSession(joinerOptions);
  cleanups.push(joiner.mount());
  expect(joiner.getSnapshot().status).toBe('signing-in');
  const joined = outcome(joiner.handleRedirectCallback());
  // The joiner's user signs in with a sign-in of its own (its own callback, not held).
  const ownUrl = await startSignIn(joiner, model, joinerOptions.navigate, '/mine');
  const own = await joiner.handleRedirectCallback(ownUrl);
  await settle();
  expect(own).toEqual({ returnTo: '/mine', alreadySignedIn: false });
  const ownSessionId = joiner.getSnapshot().sessionId;
  expect(joiner.getSnapshot().status).toBe('signed-in');
  return { gate, starter, starterEvents, joiner, started, joined, ownSessionId };
}

describe('hostile16: a join superseded by the joiner’s own sign-in', () => {
  // The joiner's join of the starter's sign-in was superseded by a sign-in of its own (generation
  // moved: it will answer `alreadySignedIn` and never hold the starter's sign-in). Its user then
  // signs out of THAT sign-in, while the starter's code is still on the wire: the starter's sign-in
  // — which the joiner never held and never will — is ended too (starter.logout()): the starter's
  // callback rejects login_required and the starter ends signed out.
  // Suspected cause: callbackRegistry.endCallbackSignIn counts `entry.joins.has(host)` +
  // `inFlight.get(key) === entry` as a waiting join without checking that the join is still the
  // joiner's current sign-in (its generation has moved since it joined: a superseded join shares
  // nothing, like a refused one).
  it('fixed: the joiner signs in on its own, then signs out while the starter’s code is on the wire: the starter’s sign-in is ended', async () => {
    const { gate, starter, starterEvents, joiner, started, joined } = await joinerWithItsOwnSignIn();
    joiner.logout();
    await gate.release();
    await settle();
    expect(joiner.getSnapshot().status).toBe('signed-out');
    expect(await joined, 'the superseded join answers as the joiner is: signed out').toBe('login_required');
    expect(await started, 'the starter’s own sign-in, never shared').toEqual({ returnTo: '/after', alreadySignedIn: false });
    expect(starter.getSnapshot().status).toBe('signed-in');
    expect(starterEvents.map((event) => event.type)).toEqual(['signed-in']);
  });

  // Control: once the starter's answer is in (the joiner did not take it: it holds its own
  // sign-in), the joiner's logout no longer reaches the starter.
  it('held: the same joiner signs out after the starter’s code landed: the starter stays signed in', async () => {
    const { gate, starter, joiner, started, joined, ownSessionId } = await joinerWithItsOwnSignIn();
    await gate.release();
    await settle();
    expect(await started).toEqual({ returnTo: '/after', alreadySignedIn: false });
    expect(await joined).toMatchObject({ alreadySignedIn: true });
    expect(joiner.getSnapshot().sessionId).toBe(ownSessionId);
    joiner.logout();
    await settle();
    expect(starter.getSnapshot().status).toBe('signed-in');
  });
});
