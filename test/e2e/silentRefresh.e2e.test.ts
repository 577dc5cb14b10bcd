/**
 * Scenario 5, in real time on purpose. Playwright's clock could fast-forward the 30 seconds, but
 * it would fire the page's timers back to back while the fetches they start still take real
 * time, so it cannot show what this test is about: real timers, a real network and a 5-second
 * token racing each other, and an API call never landing in the gap around expiry. It runs in its
 * own file so the other files use the same 30 seconds.
 */
import { expect, test } from 'vitest';
import { expectNoConsoleErrors, probe, startSignedIn, chromiumForThisFile } from './support/harness';

const chromium = chromiumForThisFile();
const TTL_SECONDS = 5;
const RUN_SECONDS = 30;
const POLL_MS = 1_000;

test('5. silent refresh with 5-second tokens: an API call every second for 30 s never gets a 401, never a signed-out flash', async (ctx) => {
  const t = await startSignedIn(ctx, chromium.browser, { accessTokenTtlSeconds: TTL_SECONDS }, { flags: { poll: POLL_MS } });

  // Watch what is painted, too: the "authenticated" cell must never show false.
  await t.page.evaluate(() => {
    const cell = document.querySelector('[data-testid="authenticated"]');
    const seen: string[] = [];
    (window as unknown as { __authenticatedSeen: string[] }).__authenticatedSeen = seen;
    if (cell) new MutationObserver(() => seen.push(cell.textContent ?? '')).observe(cell, { childList: true, characterData: true, subtree: true });
  });
  const start = await probe(t.page);
  const refreshesBefore = t.model.counters.tokenRefresh;
  const startedAt = Date.now();

  // The poller makes one call a second: wait for 30 of them to succeed (about 30 s).
  await t.page.waitForFunction(
    ([base, calls]) => (window.__e2e?.probe().apiOk ?? 0) - base >= calls,
    [start.apiOk, RUN_SECONDS] as const,
    { timeout: (RUN_SECONDS + 15) * 1_000, polling: 200 },
  );
  const elapsedSeconds = (Date.now() - startedAt) / 1_000;
  const end = await probe(t.page);
  const refreshes = t.model.counters.tokenRefresh - refreshesBefore;

  expect(end.api401 - start.api401).toBe(0);
  expect(end.apiFail - start.apiFail).toBe(0);
  expect(t.model.counters).toMatchObject({ apiUnauthorized: 0, tokenErrors: 0 });
  expect(end.signedOutTransitions).toBe(0);
  expect(end.statusHistory.slice(start.statusHistory.length)).toEqual([]);
  expect(await t.page.evaluate(() => (window as unknown as { __authenticatedSeen: string[] }).__authenticatedSeen)).not.toContain('false');

  // About one refresh per token lifetime. The library refreshes a quarter of the lifetime early,
  // and Coze's whole-second expires_in can shave up to a second off a 5 s token, so a cycle
  // lasts 3 to 3.75 s: between elapsed/5 (never fewer, or a call would have met an expired token)
  // and elapsed/2.5 (more would mean a refresh loop).
  expect(refreshes).toBeGreaterThanOrEqual(Math.floor(elapsedSeconds / TTL_SECONDS));
  expect(refreshes).toBeLessThanOrEqual(Math.ceil(elapsedSeconds / (TTL_SECONDS / 2)));
  expect(end.events.filter((e) => e.type === 'refreshed').length - start.events.filter((e) => e.type === 'refreshed').length).toBe(refreshes);
  console.log(`scenario 5: ${elapsedSeconds.toFixed(1)} s, ${end.apiOk - start.apiOk} API calls, ${refreshes} refreshes`);
  expectNoConsoleErrors(t.log());
});
