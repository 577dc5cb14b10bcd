// Hostile review 7's two DEFECT tests about a page of another token endpoint
// (test/hostile7/workerMode.attacks.test.ts) open by asserting the defect itself: that the page is
// shown the other vault's sign-in. These are their aims, through real sessions, once it is fixed.
import { afterEach, describe, expect, it } from 'vitest';
import { modelFetch, TEST_API_ORIGIN } from '../../src/testing/index';
import { startSignIn } from '../helpers/harness';
import { createWorld, settle } from '../hostile7/world';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const DUE_MS = 900_000 - 60_000;
const OTHER_API = 'https://api-2.coze.test';

afterEach(() => {
  window.history.replaceState(null, '', '/');
});

/** A world whose fake Coze also answers at the other API base (a regional host, the app's proxy). */
function worldWithTwoApiBases() {
  const world = createWorld(START);
  const coze = modelFetch(world.model);
  world.setIntercept((input, init, next) => (input.startsWith(OTHER_API) ? coze(input.replace(OTHER_API, TEST_API_ORIGIN), init) : next()));
  return world;
}

describe('vault identity through sessions: a page of another token endpoint', () => {
  it('gets a vault of its own: not shown the other sign-in, able to sign in, and the old tab keeps its own', async () => {
    const world = worldWithTwoApiBases();
    const old = world.openTab();
    await settle();
    await world.signIn(old);
    await settle();
    const fresh = world.openTab({ baseURL: OTHER_API });
    await settle();
    expect(world.vaults.size).toBe(2);
    expect(fresh.session.getSnapshot()).toMatchObject({ status: 'signed-out', error: undefined });
    const callbackUrl = await startSignIn(fresh.session, world.model, fresh.navigate);
    window.history.replaceState(null, '', callbackUrl);
    await fresh.session.handleRedirectCallback(callbackUrl);
    await settle();
    expect(fresh.session.getSnapshot().status).toBe('signed-in');
    expect(fresh.session.getSnapshot().sessionId).not.toBe(old.session.getSnapshot().sessionId);
    await world.clock.advance(DUE_MS);
    await settle();
    for (const tab of [old, fresh]) expect(tab.session.getSnapshot().status).toBe('signed-in');
    expect(new Set(world.spentRefreshTokens).size).toBe(world.spentRefreshTokens.length);
    expect(JSON.stringify(world.heardByPages)).not.toMatch(new RegExp(world.issuedRefreshTokens.join('|')));
  });

  it('signs every tab of the app out with its logout(), even one on the other vault', async () => {
    const world = worldWithTwoApiBases();
    const a = world.openTab();
    await settle();
    await world.signIn(a);
    await settle();
    const b = world.openTab({ baseURL: OTHER_API });
    await settle();
    expect(b.session.getSnapshot().status).toBe('signed-out');
    b.session.logout();
    await settle();
    expect(a.session.getSnapshot().status).toBe('signed-out');
    const refreshes = world.model.counters.tokenRefresh;
    await world.clock.advance(DUE_MS);
    await settle();
    expect(world.model.counters.tokenRefresh).toBe(refreshes);
  });
});
