/**
 * Token refresh in a real browser, with Playwright's clock standing in for time passing: many
 * callers at expiry, a revoked refresh token, the token endpoint going down, and sleep/wake.
 * The fake server's clock moves with the page clock (ServerTime), so both sides agree on expiry.
 */
import { describe, expect, test } from 'vitest';
import {
  expectErrorAlert,
  expectNoConsoleErrors,
  isFailedResourceLog,
  num,
  pageNow,
  probe,
  startE2E,
  startSignedIn,
  text,
  chromiumForThisFile,
  waitForStatus,
  waitForText,
  type E2E,
  type ProbeState,
} from './support/harness';

const chromium = chromiumForThisFile();

/** Does Coze accept this access token right now? (Asked from Node, not through the app.) */
async function cozeAccepts(t: E2E, accessToken: string): Promise<boolean> {
  const response = await fetch(`${t.server.apiOrigin}/v1/users/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
  return response.status === 200;
}

async function waitForProbe(t: E2E, what: string, check: (observed: ProbeState) => boolean): Promise<void> {
  await expect.poll(async () => check(await probe(t.page)), { timeout: 15_000, interval: 25, message: what }).toBe(true);
}

describe('refresh', () => {
  test('5b. an idle page refreshes before expiry on its own: the proactive timer, fired exactly on time, refreshes', async (ctx) => {
    // From here on page time moves only when the test says so, and only timers make it do anything.
    const t = await startSignedIn(ctx, chromium.browser, { clock: true, accessTokenTtlSeconds: 60 }, { pauseClock: true });
    t.model.resetCounters();

    // Three token lifetimes, each time stopping 1 ms before expiry: every timer fires at exactly
    // its due time, and nothing but the timer asks for a token (no API call is made).
    for (let cycle = 1; cycle <= 3; cycle += 1) {
      const token = await text(t.page, 'access-token');
      const expiresAt = await num(t.page, 'expires-at');
      await t.runFor(expiresAt - 1 - (await pageNow(t.page)));
      await expect.poll(() => text(t.page, 'access-token'), { timeout: 10_000, interval: 25 }).not.toBe(token);
      expect(t.model.counters).toMatchObject({ tokenRefresh: cycle, tokenErrors: 0, api: 0 });
      const refreshed = (await probe(t.page)).events.filter((e) => e.type === 'refreshed');
      expect(refreshed).toHaveLength(cycle);
      expect(refreshed.at(-1)?.at).toBeLessThan(expiresAt);
    }
    expect((await probe(t.page)).signedOutTransitions).toBe(0);
    expectNoConsoleErrors(t.log());
  });

  test('6. 20 API calls fired at once just after expiry share one refresh request', async (ctx) => {
    // The page's timers stop (so the proactive refresh cannot run first); then both clocks move
    // to one second after expiry without firing anything: the 20 calls find an expired token.
    const t = await startSignedIn(ctx, chromium.browser, { clock: true, accessTokenTtlSeconds: 60 }, { pauseClock: true });
    const oldToken = await text(t.page, 'access-token');
    const expiresAt = await num(t.page, 'expires-at');

    const afterExpiry = expiresAt + 1_000;
    await t.page.clock.setSystemTime(afterExpiry);
    t.time.advance(afterExpiry - t.time.now());
    expect(await cozeAccepts(t, oldToken)).toBe(false);
    t.model.resetCounters();

    await t.page.getByTestId('burst').click();
    await waitForText(t.page, 'bursts', '1');

    expect(await num(t.page, 'api-ok')).toBe(20);
    expect(await num(t.page, 'api-401')).toBe(0);
    expect(await num(t.page, 'api-fail')).toBe(0);
    expect(t.model.counters).toMatchObject({ tokenRefresh: 1, tokenErrors: 0, api: 20, apiUnauthorized: 0 });
    expect(await text(t.page, 'access-token')).not.toBe(oldToken);
    expectNoConsoleErrors(t.log());
  });

  /** Signs in on the guarded page, has Coze revoke the sign-in, and lets the next API call find out. */
  async function revokedOnGuardedPage(t: E2E): Promise<{ loadsBefore: number }> {
    // The guard leaves for Coze while the page is still loading: wait for the commit only.
    await t.page.goto(`${t.appOrigin}/guarded`, { waitUntil: 'commit' });
    await t.page.waitForURL((url) => url.origin === t.server.webOrigin);
    await t.page.getByRole('button', { name: 'Authorize E2E App' }).click();
    await waitForStatus(t.page, 'signed-in');
    await waitForText(t.page, 'user-name', 'Coze Tester');
    await waitForText(t.page, 'path', '/guarded');
    expect(await t.page.evaluate(() => window.__e2e?.cozeQueries())).toBeGreaterThan(0);
    const loadsBefore = t.log().documentLoads.length;

    expect(t.model.revokeSession(await text(t.page, 'access-token'))).toBe(true);
    t.model.resetCounters();
    // The next API call gets 401; useCozeQuery forces one refresh, which Coze rejects.
    await t.page.getByTestId('refetch-me').click();
    await waitForStatus(t.page, 'signed-out');
    await waitForText(t.page, 'error-code', 'invalid_grant');
    return { loadsBefore };
  }

  test('8. refresh token revoked on Coze: the session ends with an error the app shows, Coze queries are dropped, no loop', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    // On the guarded page: RequireCozeAuth signs in by itself, and after an error it must not redirect again.
    const { loadsBefore } = await revokedOnGuardedPage(t);
    const alert = await expectErrorAlert(t.page, 'invalid_grant');
    expect(await t.page.evaluate(() => window.__e2e?.cozeQueries())).toBe(0);
    expect(await text(t.page, 'access-token')).toBe('');

    await t.settle();
    expect(t.model.counters).toMatchObject({ authorize: 0, tokenRefresh: 1, tokenExchange: 0, apiUnauthorized: 1 });
    expect(t.log().documentLoads).toHaveLength(loadsBefore);
    const { events } = await probe(t.page);
    expect(events.filter((e) => e.type === 'signed-out')).toEqual([
      expect.objectContaining({ reason: 'refresh-rejected', errorCode: 'invalid_grant' }),
    ]);
    // Chromium logs the deliberate 401 and 400 responses as failed resources; nothing else may appear.
    expectNoConsoleErrors(t.log(), isFailedResourceLog);

    // The way out works: sign in again from the error.
    await alert.getByRole('button').click();
    await t.page.getByRole('button', { name: 'Authorize E2E App' }).click();
    await waitForStatus(t.page, 'signed-in');
    await waitForText(t.page, 'user-name', 'Coze Tester');
    expect(await text(t.page, 'error-code')).toBe('');
  });

  test('8b. the guard\'s error button starts exactly one sign-in (the guard does not add a redirect of its own)', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    const { loadsBefore } = await revokedOnGuardedPage(t);
    const alert = await expectErrorAlert(t.page, 'invalid_grant');
    await t.settle();

    await alert.getByRole('button').click();
    await t.page.getByRole('button', { name: 'Authorize E2E App' }).click();
    await waitForStatus(t.page, 'signed-in');
    await waitForText(t.page, 'user-name', 'Coze Tester');
    // Each login() stores a pending sign-in and sends the page to Coze; one was used, none may be left.
    const pendingSignIns = await t.page.evaluate(() => Object.keys(window.sessionStorage).filter((key) => key.startsWith('coze-auth.tx.')));
    expect(pendingSignIns, 'sign-ins started but never completed').toEqual([]);
    expect(t.log().documentLoads.slice(loadsBefore).filter((url) => new URL(url).pathname.endsWith('/authorize'))).toHaveLength(1);
  });

  test('9. token endpoint down (503s, a reset connection, the browser offline): retried, recovered while the old token is still valid', async (ctx) => {
    // 120 s tokens: the refresh is due 30 s before expiry (a quarter of the lifetime), which
    // leaves room for three backoff retries (≈1 + 2 + 4 s) before the old token expires.
    const t = await startSignedIn(ctx, chromium.browser, { clock: true, accessTokenTtlSeconds: 120 });
    const oldToken = await text(t.page, 'access-token');
    const expiresAt = await num(t.page, 'expires-at');
    t.model.resetCounters();
    t.model.failNext('refresh', { status: 503 }, 2);

    const lastRetryDelay = async () => (await probe(t.page)).events.filter((e) => e.type === 'refresh-retry').at(-1)?.delayMs ?? 0;

    // Time passes to just past the refresh point: the proactive refresh (attempt 1) gets a 503.
    await t.runFor(expiresAt - 29_000 - (await pageNow(t.page)));
    await waitForProbe(t, 'retry 1 after a 503', (p) => p.events.some((e) => e.type === 'refresh-retry' && e.attempt === 1));
    expect(t.model.counters.tokenRefresh).toBe(1);

    // The app keeps working meanwhile: an API call asks for a token, the refresh it triggers
    // (attempt 2) gets the second 503, and the call goes out with the old, still valid token.
    await t.page.getByTestId('call-api').click();
    await waitForText(t.page, 'api-ok', '1');
    await waitForProbe(t, 'retry 2 after a 503', (p) => p.events.some((e) => e.type === 'refresh-retry' && e.attempt === 2));
    expect(t.model.counters).toMatchObject({ tokenRefresh: 2, tokenErrors: 2, apiUnauthorized: 0 });

    // Attempt 3, when the backoff timer fires: the connection is reset. (Dropped in the browser:
    // when the fake server drops a reused keep-alive connection, Chromium quietly resends the
    // request once, so a server-side drop would not reliably reach the app.)
    await t.page.route(`${t.server.apiOrigin}/api/permission/oauth2/token`, (route) => route.abort('connectionreset'), { times: 1 });
    await t.runFor(await lastRetryDelay());
    await waitForProbe(t, 'retry 3 after a reset connection', (p) =>
      p.events.some((e) => e.type === 'refresh-retry' && e.attempt === 3 && e.errorCode === 'network_error'),
    );
    expect(t.model.counters).toMatchObject({ tokenRefresh: 2, tokenErrors: 2 });

    // Attempt 4 → the browser is offline: the request never reaches Coze.
    await t.context.setOffline(true);
    await t.runFor(await lastRetryDelay());
    await waitForProbe(t, 'retry 4 while offline', (p) => p.events.some((e) => e.type === 'refresh-retry' && e.attempt === 4));
    expect(t.model.counters.tokenRefresh).toBe(2);
    expect(await text(t.page, 'status')).toBe('signed-in');
    expect(await text(t.page, 'error-code')).toBe('network_error');
    expect(await pageNow(t.page)).toBeLessThan(expiresAt);

    // Back online: the session refreshes at once (the 'online' event), without waiting out the backoff.
    await t.context.setOffline(false);
    await waitForProbe(t, 'refreshed after coming back online', (p) => p.events.some((e) => e.type === 'refreshed'));
    await waitForText(t.page, 'error-code', '');
    expect(await text(t.page, 'access-token')).not.toBe(oldToken);
    expect(t.model.counters).toMatchObject({ tokenRefresh: 3, tokenErrors: 2, apiUnauthorized: 0 });
    expect(await pageNow(t.page)).toBeLessThan(expiresAt);

    await t.page.getByTestId('call-api').click();
    await waitForText(t.page, 'api-ok', '2');
    expect(t.model.counters.tokenRefresh).toBe(3);
    const observed = await probe(t.page);
    expect(observed.signedOutTransitions).toBe(0);
    expect(observed.api401).toBe(0);
    // Chromium logs the deliberate 503s, the reset connection and the offline attempt as failed resources.
    expectNoConsoleErrors(t.log(), isFailedResourceLog);
  });

  test('10a. sleep/wake: the clock jumps past expiry with timers firing late; the first API call after waking carries a valid token', async (ctx) => {
    const t = await startSignedIn(ctx, chromium.browser, { clock: true, accessTokenTtlSeconds: 60 });
    const oldToken = await text(t.page, 'access-token');

    // The laptop lid closes for 10 minutes; on waking, overdue timers fire once.
    t.time.advance(10 * 60_000);
    expect(await cozeAccepts(t, oldToken)).toBe(false);
    t.model.resetCounters();
    await t.context.clock.fastForward(10 * 60_000);
    await t.page.getByTestId('call-api').click();
    await waitForText(t.page, 'api-ok', '1');

    expect(await num(t.page, 'api-401')).toBe(0);
    expect(t.model.counters).toMatchObject({ tokenRefresh: 1, tokenErrors: 0, apiUnauthorized: 0 });
    expect(t.model.requestLog.map((entry) => entry.kind).filter((kind) => kind !== 'preflight')).toEqual(['token-refresh', 'api']);
    expect(await text(t.page, 'status')).toBe('signed-in');
    expectNoConsoleErrors(t.log());
  });

  test('10b. sleep/wake: the clock jumps past expiry and no timer fires at all (frozen tab); getToken still refreshes first', async (ctx) => {
    // Timers stay frozen (a throttled or discarded background tab): only the wall clock moves.
    const t = await startSignedIn(ctx, chromium.browser, { clock: true, accessTokenTtlSeconds: 60 }, { pauseClock: true });
    const oldToken = await text(t.page, 'access-token');

    const woke = (await pageNow(t.page)) + 10 * 60_000;
    await t.page.clock.setSystemTime(woke);
    t.time.advance(woke - t.time.now());
    expect(await cozeAccepts(t, oldToken)).toBe(false);
    t.model.resetCounters();

    await t.page.getByTestId('call-api').click();
    await waitForText(t.page, 'api-ok', '1');
    expect(await num(t.page, 'api-401')).toBe(0);
    expect(t.model.counters).toMatchObject({ tokenRefresh: 1, tokenErrors: 0, apiUnauthorized: 0 });
    expect(t.model.requestLog.map((entry) => entry.kind).filter((kind) => kind !== 'preflight')).toEqual(['token-refresh', 'api']);
    expectNoConsoleErrors(t.log());
  });
});
