// Hostile review 12: a join across token storage modes. A provider remounted with a new session
// whose options changed (tokenStorage 'worker' → 'sessionStorage', e.g. a feature flag or a
// fallback when the worker failed to start) while the old session's code exchange is in the vault.
// `fixed:` tests failed against 4d411b0 and pass since.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import { CozeSession } from '../../src/core/session/CozeSession';
import { modelFetch, TEST_CLIENT_ID } from '../../src/testing/index';
import { outcome, sessionOptions, startSignIn } from '../helpers/harness';
import { createWorld, settle } from '../hostile7/world';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const TOKENS_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  window.history.replaceState(null, '', '/');
  forgetCallbacksInFlight();
});

describe('hostile12: a page-mode session joins a sign-in completed in the token vault', () => {
  // The worker-mode owner's exchange runs in the (shared) vault; the page-side tokens it signs in
  // with carry no refresh token, only `vaultCanRefresh`. The new page-mode session joins and
  // adopts them as they are, persisting them in sessionStorage: it is signed in with a sign-in it
  // can never renew (the refresh token is in a vault it has no link to). refreshDueAt plans a
  // refresh (vaultCanRefresh), #runRefresh finds no refresh token and no vault and returns the old
  // token without leaving `in-flight` (isRefreshing stays true for good); at the expiry getToken()
  // rejects session_expired and the user is signed out although the sign-in is alive in the vault.
  // The worker-mode rule "a joiner whose own vault does not hold the sign-in rejects login_required"
  // has no page-mode counterpart. Suspected cause: sessionEngine.ts #joinedCallback checks
  // `vault.holds()` only when the JOINER is in worker mode, never that a page-mode joiner can
  // hold what it adopts (tokens.refreshToken, or !vaultCanRefresh).
  it('fixed: the page-mode joiner adopts vault tokens it cannot renew: stuck refreshing, then session_expired while the vault holds the sign-in', async () => {
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
    owner.unmount(); // the provider remounts with changed options
    const joiner = new CozeSession(sessionOptions({ clock: world.clock, fetch: modelFetch(world.model), tokenStorage: 'sessionStorage' }));
    cleanups.push(joiner.mount());
    expect(joiner.getSnapshot().status).toBe('signing-in');
    const joined = outcome(joiner.handleRedirectCallback());
    await world.release();
    await vi.waitFor(() => expect(joiner.getSnapshot().status).not.toBe('signing-in'));
    const joinedOutcome = await joined;
    if (joinedOutcome.ok) {
      // Signed in here: then this session must be able to keep the sign-in alive.
      expect.soft(JSON.parse(sessionStorage.getItem(TOKENS_KEY) ?? '{}')).toHaveProperty('refreshToken');
      await world.clock.advance(890_000);
      await settle();
      expect.soft(joiner.getSnapshot().isRefreshing, 'a refresh that never ends').toBe(false);
      await world.clock.advance(20_000);
      await settle();
      expect(await outcome(joiner.getToken()), 'the sign-in is alive in the vault').toMatchObject({ ok: true });
    } else {
      expect(joinedOutcome.code).toBe('login_required');
    }
  });
});
