/**
 * Several tabs and page reloads: rotating refresh tokens shared through localStorage, sign-out
 * across tabs, and what each storage mode keeps over a reload or in a fresh tab.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  expectNoConsoleErrors,
  num,
  PAUSE_MARGIN_MS,
  pageNow,
  probe,
  startE2E,
  text,
  chromiumForThisFile,
  waitForStatus,
  waitForText,
  type E2E,
} from './support/harness';

const chromium = chromiumForThisFile();

async function waitForSameNewToken(t: E2E, tabs: Page[], previous: string): Promise<string> {
  await expect
    .poll(async () => {
      const tokens = await Promise.all(tabs.map((tab) => text(tab, 'access-token')));
      return tokens.every((token) => token === tokens[0]) && tokens[0] !== previous ? tokens[0] : undefined;
    }, { timeout: 15_000, interval: 25 })
    .toBeDefined();
  return text(tabs[0] as Page, 'access-token');
}

describe('tabs', () => {
  test('7. three tabs, localStorage, rotating refresh tokens: one refresh per cycle, no invalid_grant; sign-out in one tab signs out all', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser, { clock: true, accessTokenTtlSeconds: 60 });
    const flags = { storage: 'localStorage' } as const;
    const tab2 = await t.newPage();
    const tab3 = await t.newPage();
    const tabs = [t.page, tab2, tab3];
    for (const tab of tabs) await t.open(tab, '/', flags);
    // Signing in in one tab signs in the tabs already open, without a reload.
    await t.signIn();
    for (const tab of tabs) {
      await waitForStatus(tab, 'signed-in');
      await waitForText(tab, 'user-name', 'Coze Tester');
    }
    let token = await text(t.page, 'access-token');
    expect(await text(tab3, 'access-token')).toBe(token);
    expect(t.log(tab2).documentLoads).toHaveLength(1);
    t.model.resetCounters();

    // Coze answers slowly, so while one tab refreshes the other two queue for the refresh lock,
    // and each cycle hands the lock over twice: the moment a spent refresh token could be reused.
    t.model.setLatency(250);

    // Timer cycle: the proactive refresh timers of all three tabs come due at the same moment
    // (the refresh is due 15 s before the 60 s token expires).
    const timerCycle = async () => {
      await t.sleepAndWake(50_000);
    };
    // Call cycle: no timer at all; all three tabs call the API at the same instant just after expiry.
    let calls = 0;
    const callCycle = async () => {
      // (Each tab has its own fake clock, a few ms apart: pause them all past the latest one.)
      await t.context.clock.pauseAt(Math.max(...(await Promise.all(tabs.map(pageNow)))) + PAUSE_MARGIN_MS);
      const afterExpiry = (await num(t.page, 'expires-at')) + 1_000;
      await t.context.clock.setSystemTime(afterExpiry);
      t.time.advance(afterExpiry - t.time.now());
      calls += 1;
      await Promise.all(tabs.map((tab) => tab.getByTestId('call-api').click()));
      // The calls have asked for tokens; let time flow again (the library may wait on timers).
      await t.context.clock.resume();
      for (const tab of tabs) await waitForText(tab, 'api-ok', String(calls));
    };

    const cycles = [timerCycle, callCycle, timerCycle, callCycle, timerCycle, callCycle];
    for (const [index, cycle] of cycles.entries()) {
      await cycle();
      token = await waitForSameNewToken(t, tabs, token);
      expect(
        t.model.counters,
        `cycle ${index + 1} (${cycle === timerCycle ? 'timers' : 'API calls'}): exactly one refresh, and no tab spent a refresh token another tab had already rotated`,
      ).toMatchObject({ tokenRefresh: index + 1, tokenErrors: 0, apiUnauthorized: 0 });
    }
    t.model.setLatency(0);

    for (const tab of tabs) {
      expect(await text(tab, 'error-code')).toBe('');
      expect((await probe(tab)).signedOutTransitions).toBe(0);
    }
    const refreshedHere = (await Promise.all(tabs.map(probe))).map((p) => p.events.filter((e) => e.type === 'refreshed' && e.source === 'this-tab').length);
    expect(refreshedHere.reduce((a, b) => a + b, 0)).toBe(cycles.length);

    // Sign out in the middle tab: every tab is signed out, and no tab keeps the user's data.
    await tab2.getByTestId('logout').click();
    for (const tab of tabs) {
      await waitForStatus(tab, 'signed-out');
      expect(await tab.getByTestId('user-name').count()).toBe(0);
      expect(await tab.evaluate(() => window.__e2e?.cozeQueries())).toBe(0);
      expect(await text(tab, 'error-code')).toBe('');
    }
    expect(await t.page.evaluate(() => Object.keys(window.localStorage).filter((key) => key.startsWith('coze-auth.tokens.')))).toEqual([]);
    expect(t.model.counters).toMatchObject({ tokenRefresh: cycles.length, tokenErrors: 0, authorize: 0 });
    for (const tab of tabs) expectNoConsoleErrors(t.log(tab));
  });

  test('7b. rotating refresh tokens across tabs: the tab that gets the refresh lock next never spends the token the previous holder just rotated', async (ctx) => {
    // The hand-over this scenario hinges on, repeated: three tabs ask for a refresh at the same
    // moment; one refreshes under the Web Lock, and the two that waited for the lock must pick up
    // its result instead of spending the same refresh token again. They use React-free
    // CozeSessions (the framework-agnostic API), so nothing delays the lock release after the
    // tokens are written; that is when another tab can still read the previous tokens.
    const rounds = 60;
    const t = await startE2E(ctx, chromium.browser, { accessTokenTtlSeconds: 600 });
    const flags = { storage: 'localStorage' } as const;
    const tabs = [t.page, await t.newPage(), await t.newPage()];
    await t.open(t.page, '/', flags);
    await t.signIn();
    for (const tab of tabs.slice(1)) {
      await t.open(tab, '/', flags);
      await waitForStatus(tab, 'signed-in');
    }
    for (const tab of tabs) await tab.evaluate(() => void window.__e2e?.coreSession?.().mount());
    t.model.resetCounters();
    // Slow enough that all three refreshes start before the first one finishes.
    t.model.setLatency(100);

    for (let round = 1; round <= rounds; round += 1) {
      await Promise.all(tabs.map((tab) => tab.evaluate(() => window.__e2e?.coreSession?.().refresh().then(() => 'ok', (e: Error) => e.message))));
      expect(
        t.model.counters.tokenErrors,
        `round ${round}: a tab presented a refresh token that another tab had already rotated (Coze then revokes the whole sign-in)`,
      ).toBe(0);
    }
    t.model.setLatency(0);
    // Every tab ends on the same, working session.
    const tokens = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.__e2e?.coreSession?.().getToken())));
    expect(new Set(tokens).size).toBe(1);
    const response = await fetch(`${t.server.apiOrigin}/v1/users/me`, { headers: { Authorization: `Bearer ${tokens[0] ?? ''}` } });
    expect(response.status).toBe(200);
    for (const tab of tabs) expectNoConsoleErrors(t.log(tab));
  });

  test('11a. sessionStorage: a reload keeps the session; a fresh tab is signed out', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    await t.open(t.page, '/', { storage: 'sessionStorage' });
    await t.signIn();
    await waitForText(t.page, 'user-name', 'Coze Tester');
    const token = await text(t.page, 'access-token');

    await t.page.reload();
    await waitForStatus(t.page, 'signed-in');
    await waitForText(t.page, 'user-name', 'Coze Tester');
    expect(await text(t.page, 'access-token')).toBe(token);
    // Signed in straight from storage: the first render already knew, nothing was exchanged or refreshed.
    expect((await probe(t.page)).statusHistory).toEqual(['signed-in']);
    expect(t.model.counters).toMatchObject({ authorize: 1, tokenExchange: 1, tokenRefresh: 0 });

    const fresh = await t.newPage();
    await t.open(fresh, '/', { storage: 'sessionStorage' });
    await t.settle();
    expect(await text(fresh, 'status')).toBe('signed-out');
    expect(await text(fresh, 'access-token')).toBe('');
    expect(t.model.counters).toMatchObject({ authorize: 1, tokenExchange: 1, tokenRefresh: 0 });
    expectNoConsoleErrors(t.log());
    expectNoConsoleErrors(t.log(fresh));
  });

  test('11b. memory: a reload forgets the session', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    await t.open(t.page, '/', { storage: 'memory' });
    await t.signIn();
    await waitForText(t.page, 'user-name', 'Coze Tester');

    await t.page.reload();
    await t.page.getByTestId('login').waitFor();
    await t.settle();
    expect(await text(t.page, 'status')).toBe('signed-out');
    expect((await probe(t.page)).statusHistory).toEqual(['signed-out']);
    expect(await t.page.evaluate(() => Object.keys({ ...window.sessionStorage, ...window.localStorage }).filter((key) => key.startsWith('coze-auth.tokens.')))).toEqual([]);
    expect(t.model.counters).toMatchObject({ tokenExchange: 1, tokenRefresh: 0 });
    expectNoConsoleErrors(t.log());
  });
});
