/**
 * Hostile review 3 (real Chromium): a sign-out in another tab while this tab's session engine chunk
 * is still downloading. DEFECT: the reloading tab misses both the BroadcastChannel message and the
 * storage event (only the engine listens), and the engine's start() does not treat the missing
 * record as a sign-out: the tab stays signed in, and its next refresh writes the ended sign-in back.
 */
import type { Route } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumForThisFile, startE2E, text, waitForStatus } from './support/harness';

const chromium = chromiumForThisFile();

describe('hostile3: engine window', () => {
  test('a sign-out in another tab during this tab’s engine download signs this tab out (localStorage)', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    const flags = { storage: 'localStorage' } as const;
    await t.open(t.page, '/', flags);
    await t.signIn();
    const other = await t.newPage();
    await t.open(other, '/', flags);
    await waitForStatus(other, 'signed-in');

    // Reload the first tab with its session engine chunk held back (a slow network).
    const held: Route[] = [];
    let engineRequested = false;
    await t.page.route(/sessionEngine[^/]*\.js/, (route) => {
      engineRequested = true;
      held.push(route);
    });
    await t.page.reload();
    await t.page.getByTestId('status').waitFor();
    await waitForStatus(t.page, 'signed-in'); // the shell renders the stored sign-in
    await expect.poll(() => engineRequested, { timeout: 10_000 }).toBe(true);

    await other.getByTestId('logout').click();
    await waitForStatus(other, 'signed-out');

    for (const route of held) await route.continue();
    await t.page.unroute(/sessionEngine[^/]*\.js/);
    await t.settle();
    expect(await text(t.page, 'status')).toContain('signed-out');
    const fresh = await t.newPage();
    await t.open(fresh, '/', flags);
    expect(await text(fresh, 'status')).toContain('signed-out');
  });
});
