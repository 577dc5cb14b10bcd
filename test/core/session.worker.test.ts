import { afterEach, describe, expect, it, vi } from 'vitest';
import { rejection, startSignIn } from '../helpers/harness';
import { createWorkerWorld, settle } from '../helpers/workerMode';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const TTL_MS = 900_000;
/** 60 s skew before a 900 s token: the refresh is due 840 s after sign-in. */
const DUE_MS = TTL_MS - 60_000;

afterEach(() => {
  window.history.replaceState(null, '', '/');
});

/** Everything a page script could find by name: web storage and the session's snapshot. */
function pageReachable(): string {
  return JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } });
}

describe("tokenStorage: 'worker' — the session on the token vault", () => {
  it('starts as loading (not signed out) until the vault answers, then signed out', async () => {
    const world = createWorkerWorld(START);
    const tab = world.openTab();
    expect(tab.session.getSnapshot()).toMatchObject({ status: 'loading', isLoading: true, isAuthenticated: false });
    await settle();
    expect(tab.session.getSnapshot()).toMatchObject({ status: 'signed-out', isLoading: false, error: undefined });
    // Restoring is not an event.
    expect(tab.events).toEqual([]);
  });

  it('exchanges the code in the vault: signed in, and no refresh token anywhere on the page', async () => {
    const world = createWorkerWorld(START);
    const tab = world.openTab();
    await settle();
    await expect(world.signIn(tab)).resolves.toMatchObject({ alreadySignedIn: false });
    const state = tab.session.getSnapshot();
    expect(state).toMatchObject({ status: 'signed-in', expiresAt: START + TTL_MS });
    expect(world.model.counters).toMatchObject({ tokenExchange: 1, tokenRefresh: 0 });
    expect(world.pageFetches()).toBe(0);
    expect(tab.events).toEqual([{ type: 'signed-in', expiresAt: START + TTL_MS, source: 'this-tab' }]);

    expect(world.issuedRefreshTokens).toHaveLength(1);
    const refreshToken = world.issuedRefreshTokens[0] as string;
    expect(pageReachable()).not.toContain(refreshToken);
    expect(Object.keys(sessionStorage).concat(Object.keys(localStorage)).filter((key) => key.startsWith('coze-auth.tokens'))).toEqual([]);
    expect(JSON.stringify(world.heardByPages)).not.toContain(refreshToken);
    expect(JSON.stringify(world.heardByPages)).toContain(state.accessToken);
  });

  it('a session built on its callback page sends no early exchange from the page: the vault exchanges the code', async () => {
    const world = createWorkerWorld(START);
    const starter = world.openTab();
    await settle();
    const callbackUrl = await startSignIn(starter.session, world.model, starter.navigate);
    starter.unmount();
    window.history.replaceState(null, '', callbackUrl);
    const tab = world.openTab();
    expect(tab.session.getSnapshot().status).toBe('signing-in');
    await vi.waitFor(() => expect(tab.session.getSnapshot().status).toBe('signed-in'));
    expect(world.pageFetches()).toBe(0);
    expect(world.model.counters).toMatchObject({ tokenExchange: 1 });
    const refreshToken = world.issuedRefreshTokens[0] as string;
    expect(JSON.stringify(world.heardByPages)).not.toContain(refreshToken);
  });

  it('a tab opened later is signed in from the vault without a token request; getToken waits for the vault', async () => {
    const world = createWorkerWorld(START);
    const first = world.openTab();
    await settle();
    await world.signIn(first);
    const before = { ...world.model.counters };
    const later = world.openTab();
    expect(later.session.getSnapshot().status).toBe('loading');
    // Asked while restoring: the answer is the vault's sign-in, not login_required.
    await expect(later.session.getToken()).resolves.toBe(first.session.getSnapshot().accessToken);
    expect(later.session.getSnapshot()).toMatchObject({
      status: 'signed-in',
      sessionId: first.session.getSnapshot().sessionId,
      expiresAt: START + TTL_MS,
    });
    expect(world.model.counters).toEqual(before);
    expect(later.events).toEqual([]);
  });

  it('a sign-in in one tab signs in the tabs already open', async () => {
    const world = createWorkerWorld(START);
    const [a, b] = [world.openTab(), world.openTab()];
    await settle();
    await world.signIn(a);
    await settle();
    expect(b.session.getSnapshot()).toMatchObject({ status: 'signed-in', accessToken: a.session.getSnapshot().accessToken });
    expect(b.events).toEqual([{ type: 'signed-in', expiresAt: START + TTL_MS, source: 'other-tab' }]);
  });

  it('tabs whose timers come due together send one refresh request and all take its tokens', async () => {
    const world = createWorkerWorld(START);
    const tabs = [world.openTab(), world.openTab(), world.openTab()];
    await settle();
    await world.signIn(tabs[0]!);
    await settle();
    const old = tabs[0]!.session.getSnapshot().accessToken;
    world.hold();
    await world.clock.advance(DUE_MS);
    // Every timer fired and asked the vault; one request is on the wire.
    expect(world.onWire()).toBe(1);
    for (const tab of tabs) expect(tab.session.getSnapshot()).toMatchObject({ status: 'signed-in', accessToken: old });
    await world.release();
    const fresh = tabs.map((tab) => tab.session.getSnapshot().accessToken);
    expect(new Set(fresh).size).toBe(1);
    expect(fresh[0]).not.toBe(old);
    expect(world.model.counters).toMatchObject({ tokenRefresh: 1, tokenErrors: 0 });
    for (const tab of tabs) expect(tab.events.filter((event) => event.type === 'refreshed')).toHaveLength(1);

    // The next cycle too: one request, and the refresh token spent is the rotated one (no reuse).
    await world.clock.advance(DUE_MS);
    expect(world.model.counters).toMatchObject({ tokenRefresh: 2, tokenErrors: 0 });
    expect(world.issuedRefreshTokens).toHaveLength(3);
    expect(world.pageFetches()).toBe(0);
    expect(JSON.stringify(world.heardByPages)).not.toMatch(new RegExp(world.issuedRefreshTokens.join('|')));
  });

  it('a refresh in one tab reaches the others as a rotation from another tab', async () => {
    const world = createWorkerWorld(START);
    const [a, b] = [world.openTab(), world.openTab()];
    await settle();
    await world.signIn(a);
    await settle();
    const token = await a.session.refresh();
    await settle();
    expect(b.session.getSnapshot().accessToken).toBe(token);
    expect(a.events.at(-1)).toMatchObject({ type: 'refreshed', source: 'this-tab' });
    expect(b.events.at(-1)).toMatchObject({ type: 'refreshed', source: 'other-tab' });
    expect(world.model.counters.tokenRefresh).toBe(1);
  });

  it('a 401 seen by two tabs for the same token renews once', async () => {
    const world = createWorkerWorld(START);
    const [a, b] = [world.openTab(), world.openTab()];
    await settle();
    await world.signIn(a);
    await settle();
    const rejected = a.session.getSnapshot().accessToken as string;
    world.hold();
    const renewals = [a.session.handleUnauthorized(rejected), b.session.handleUnauthorized(rejected)];
    await settle();
    expect(world.onWire()).toBe(1);
    await world.release();
    const [fromA, fromB] = await Promise.all(renewals);
    expect(fromA).toBe(fromB);
    expect(fromA).not.toBe(rejected);
    expect(world.model.counters.tokenRefresh).toBe(1);
  });

  it('sign-out in one tab ends the sign-in in every tab and in the vault', async () => {
    const world = createWorkerWorld(START);
    const [a, b] = [world.openTab(), world.openTab()];
    await settle();
    await world.signIn(a);
    await settle();
    b.session.logout();
    await settle();
    expect(a.session.getSnapshot()).toMatchObject({ status: 'signed-out', error: undefined });
    expect(a.events.at(-1)).toEqual({ type: 'signed-out', reason: 'other-tab', error: undefined });
    expect(b.events.at(-1)).toEqual({ type: 'signed-out', reason: 'logout', error: undefined });
    // A tab opened afterwards finds nobody signed in.
    const c = world.openTab();
    await settle();
    expect(c.session.getSnapshot().status).toBe('signed-out');
    await expect(rejection(a.session.getToken())).resolves.toMatchObject({ code: 'login_required' });
  });

  it('a refresh answered after sign-out changes nothing, here or in other tabs', async () => {
    const world = createWorkerWorld(START);
    const [a, b] = [world.openTab(), world.openTab()];
    await settle();
    await world.signIn(a);
    await settle();
    world.hold();
    const refresh = rejection(a.session.refresh());
    await settle();
    expect(world.onWire()).toBe(1);
    a.session.logout();
    await settle();
    await world.release();
    await expect(refresh).resolves.toMatchObject({ code: 'login_required' });
    for (const tab of [a, b]) {
      expect(tab.session.getSnapshot().status).toBe('signed-out');
      expect(tab.events.filter((event) => event.type === 'refreshed')).toEqual([]);
    }
    const c = world.openTab();
    await settle();
    expect(c.session.getSnapshot().status).toBe('signed-out');
  });

  it('a code exchange answered after sign-out signs nobody in', async () => {
    const world = createWorkerWorld(START);
    const [a, b] = [world.openTab(), world.openTab()];
    await settle();
    world.hold();
    const callback = rejection(world.signIn(a));
    await settle();
    expect(world.onWire()).toBe(1);
    expect(a.session.getSnapshot().status).toBe('signing-in');
    a.session.logout();
    await world.release();
    await expect(callback).resolves.toMatchObject({ code: 'login_required' });
    await settle();
    for (const tab of [a, b]) expect(tab.session.getSnapshot().status).toBe('signed-out');
    const c = world.openTab();
    await settle();
    expect(c.session.getSnapshot().status).toBe('signed-out');
  });

  it('a refresh token Coze rejects ends the sign-in in every tab with invalid_grant', async () => {
    const world = createWorkerWorld(START);
    const [a, b] = [world.openTab(), world.openTab()];
    await settle();
    await world.signIn(a);
    await settle();
    world.model.failRefreshWith('invalid_grant');
    await expect(rejection(a.session.refresh())).resolves.toMatchObject({ code: 'invalid_grant' });
    await settle();
    for (const tab of [a, b]) {
      expect(tab.session.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'invalid_grant' } });
      expect(tab.events.at(-1)).toMatchObject({ type: 'signed-out', reason: 'refresh-rejected' });
    }
  });

  it('a transient failure puts every tab in backoff: one request per backoff step, whoever asks', async () => {
    const world = createWorkerWorld(START);
    const [a, b] = [world.openTab(), world.openTab()];
    await settle();
    await world.signIn(a);
    await settle();
    const token = a.session.getSnapshot().accessToken;
    world.model.failNext('refresh', { status: 503 });
    // Still valid: the caller gets the current token while the retry waits.
    await expect(a.session.refresh()).resolves.toBe(token);
    await settle();
    expect(a.events.at(-1)).toMatchObject({ type: 'refresh-retry', attempt: 1 });
    // The other tab heard of the failure and waits too: its callers send nothing.
    await expect(b.session.getToken({ forceRefresh: true })).resolves.toBe(token);
    await expect(a.session.getToken({ forceRefresh: true })).resolves.toBe(token);
    expect(world.model.counters.tokenRefresh).toBe(1);
    // The retry: one more request, and both tabs take its tokens.
    await world.clock.advance(2_000);
    expect(world.model.counters.tokenRefresh).toBe(2);
    expect(a.session.getSnapshot().accessToken).not.toBe(token);
    expect(b.session.getSnapshot().accessToken).toBe(a.session.getSnapshot().accessToken);
    expect(b.session.getSnapshot().error).toBeUndefined();
  });

  it('during an outage three tabs together send one request per backoff step, not one each', async () => {
    const world = createWorkerWorld(START);
    const tabs = [world.openTab(), world.openTab(), world.openTab()];
    await settle();
    await world.signIn(tabs[0]!);
    await settle();
    world.model.failNext('refresh', { status: 503 }, Infinity);
    await world.clock.advance(DUE_MS);
    // 60 s of outage: steps of about 1, 2, 4, 8, 16, 30 s (±20%) fit at most 7 attempts in all.
    for (let second = 0; second < 60; second++) await world.clock.advance(1_000);
    expect(world.model.counters.tokenRefresh).toBeGreaterThanOrEqual(4);
    expect(world.model.counters.tokenRefresh).toBeLessThanOrEqual(7);
    for (const tab of tabs) expect(tab.session.getSnapshot()).toMatchObject({ status: 'signed-in', error: { code: 'server_error' } });
    // The outage ends: the next retry renews, and every tab takes it.
    world.model.clearFailures();
    await world.clock.advance(40_000);
    const tokens = new Set(tabs.map((tab) => tab.session.getSnapshot().accessToken));
    expect(tokens.size).toBe(1);
    for (const tab of tabs) expect(tab.session.getSnapshot().error).toBeUndefined();
  });

  it('a vault that cannot start leaves the session signed out with storage_unavailable, not loading forever', async () => {
    const world = createWorkerWorld(START);
    const broken = world.openTab({ failToStart: true });
    expect(broken.session.getSnapshot().status).toBe('loading');
    await settle();
    expect(broken.session.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'storage_unavailable' } });
    expect(broken.events).toMatchObject([{ type: 'error', error: { code: 'storage_unavailable' } }]);
    await expect(rejection(broken.session.getToken())).resolves.toMatchObject({ code: 'storage_unavailable' });
  });
});
