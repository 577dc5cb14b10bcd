// Hostile review 13: a sign-out that ends another session's sign-in across token storage modes.
// A worker-mode provider (the refresh token in the shared vault) is exchanging the page's code
// when a second provider of the same client, in page mode (options changed: a feature flag, a
// fallback when the worker failed), is built and joins it. hostile 7's in-process vault world.
// `fixed:` tests failed against 82c0bb3 and pass since; `held:` tests pin what held.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import { CozeSession } from '../../src/core/session/CozeSession';
import { modelFetch } from '../../src/testing/index';
import { sessionOptions, startSignIn } from '../helpers/harness';
import { createWorld, settle } from '../hostile7/world';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  window.history.replaceState(null, '', '/');
  forgetCallbacksInFlight();
});

/** A fresh page on a callback; the worker-mode owner mounted, its exchange held in the shared vault. */
async function workerOwnerMidExchange() {
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
  return { world, owner };
}

describe('hostile13: a page-mode joiner signs out while a worker-mode owner exchanges the code', () => {
  // The joiner's logout() during the exchange: "the user's sign-out wins there too", so when the
  // owner's sign-in lands, #joinedCallback ends it there (owner.signOut via its host) and announces
  // the end with the JOINER's announceSignOut — page mode: a tab-channel post. The owner's vault is
  // never told: it keeps the sign-in and its refresh token. Every other worker-mode tab of the app
  // stays signed in, and a tab opened (or reloaded) after the sign-out restores the sign-in from
  // the vault: the user's sign-out did not stick.
  // Suspected cause: sessionEngine.ts #joinedCallback `this.announceSignOut(owner.signOut(...))`
  // announces in the joiner's mode (and CozeSession.logout's `announceSignOut(endedThere)` likewise);
  // the owner's engine, which alone holds the vault link, is bypassed.
  it('fixed: the vault keeps the sign-in the page-mode joiner’s logout ended: a tab opened next is signed in', async () => {
    const { world, owner } = await workerOwnerMidExchange();
    const joiner = new CozeSession(sessionOptions({ clock: world.clock, fetch: modelFetch(world.model), tokenStorage: 'sessionStorage' }));
    cleanups.push(joiner.mount());
    expect(joiner.getSnapshot().status).toBe('signing-in');
    joiner.logout();
    expect(joiner.getSnapshot().status).toBe('signed-out');
    await world.release();
    await vi.waitFor(() => expect(owner.session.getSnapshot().status).not.toBe('signing-in'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await settle();
    expect(owner.session.getSnapshot().status, 'the user signed out on this page').toBe('signed-out');
    expect(joiner.getSnapshot().status).toBe('signed-out');
    // Another tab of the app (or this one reloaded): the vault is where it restores from.
    const next = world.openTab();
    await vi.waitFor(() => expect(next.session.getSnapshot().status).not.toBe('loading'));
    await settle();
    expect(next.session.getSnapshot().status, 'the sign-out must reach the vault').toBe('signed-out');
  });
});
