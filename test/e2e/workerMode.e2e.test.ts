/**
 * `tokenStorage: 'worker'` in the e2e app (real Chromium, the vault worker as Vite bundles it for
 * an app): the refresh token is nowhere a page can reach it (storages, cookies, IndexedDB, the
 * page's heap after GC), tabs share one vault (one refresh request per cycle, no reuse, a tab
 * opened later is signed in at once, sign-out in one ends all), a reload of the only tab keeps
 * the sign-in, and a page script talking to the vault itself gets nothing.
 */
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { CLIENT_ID, chromiumForThisFile, startE2E, text, waitForStatus, waitForText, type E2E } from './support/harness';
import { startEvilServer } from './support/evilServer';
import { recordIssuedRefreshTokens } from './support/issuedTokens';

const chromium = chromiumForThisFile();
const WORKER = { storage: 'worker' } as const;

/** What a script on the page can read by name: both storages, its cookies, every IndexedDB record. */
function pageStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const databases: Record<string, unknown> = {};
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name as string);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        databases[`${info.name}/${store}`] = await new Promise((resolve) => {
          const all = db.transaction(store).objectStore(store).getAll();
          all.onsuccess = () => resolve(all.result);
        });
      }
      db.close();
    }
    return JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie, databases });
  });
}

/** The page's JavaScript heap after a full GC, as a CDP heap snapshot (every string in it). */
async function heapSnapshot(cdp: CDPSession): Promise<string> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => void chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  return chunks.join('');
}

/** The URL of the SharedWorker the app started (Vite gave it a hashed name). */
async function vaultWorkerUrl(t: E2E, page: Page): Promise<string> {
  const cdp = await t.context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
  await cdp.detach();
  const workers = targetInfos.filter((target) => target.type === 'shared_worker').map((target) => target.url);
  expect(workers).toHaveLength(1);
  return workers[0] as string;
}

describe("tokenStorage: 'worker' in the app", () => {
  test('W1. after sign-in no storage, cookie, IndexedDB record or page heap holds the refresh token', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    const issued = recordIssuedRefreshTokens(t.model);
    await t.open(t.page, '/', WORKER);
    await waitForStatus(t.page, 'signed-out');
    await t.signIn();
    await waitForText(t.page, 'user-name', 'Coze Tester');
    // And one refresh, so there is a spent and a live refresh token to look for.
    await t.page.evaluate(() => window.__e2e?.session?.refresh());
    await expect.poll(() => issued.length).toBe(2);
    expect(t.model.counters).toMatchObject({ tokenExchange: 1, tokenRefresh: 1, tokenErrors: 0 });
    const accessToken = await text(t.page, 'access-token');
    expect(accessToken).toMatch(/^at_/);

    const storage = await pageStorage(t.page);
    const cookies = JSON.stringify(await t.context.cookies());
    const cdp = await t.context.newCDPSession(t.page);
    const heap = await heapSnapshot(cdp);
    // The search works: the access token the page does hold is found in its heap.
    expect(heap).toContain(accessToken);
    for (const refreshToken of issued) {
      expect(storage).not.toContain(refreshToken);
      expect(cookies).not.toContain(refreshToken);
      expect(heap).not.toContain(refreshToken);
    }
    // Nothing of the session in web storage at all.
    expect(storage).not.toContain('coze-auth.tokens');
  });

  test('W2. three tabs: one refresh request per cycle, no reuse; a fourth tab opened later is signed in without a request; sign-out in one ends all', async (ctx) => {
    // 4 s tokens, refreshed 1 s before expiry: a cycle every 3 s, in real time (the vault's clock is not Playwright's).
    const t = await startE2E(ctx, chromium.browser, { accessTokenTtlSeconds: 4 });
    const tabs = [t.page, await t.newPage(), await t.newPage()];
    for (const tab of tabs) await t.open(tab, '/', WORKER);
    await t.signIn();
    for (const tab of tabs) await waitForStatus(tab, 'signed-in');
    // Slow answers: while one request is out, every tab's timer comes due and asks the vault.
    t.model.setTokenLatency(400, 'refresh');
    t.model.resetCounters();

    await expect.poll(() => t.model.counters.tokenRefresh, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(3);
    // Longer tokens from now on, so the rest of the test sees no refresh.
    t.model.setTokenLifetimes({ accessTokenTtlSeconds: 900 });
    await expect
      .poll(async () => (await Promise.all(tabs.map((tab) => text(tab, 'expires-at')))).map(Number).every((at) => at > Date.now() + 60_000), {
        timeout: 15_000,
      })
      .toBe(true);
    const refreshes = t.model.requestLog.filter((entry) => entry.kind === 'token-refresh');
    expect(refreshes.every((entry) => entry.status === 200)).toBe(true);
    expect(t.model.counters.tokenErrors).toBe(0);
    // One request per cycle: consecutive refreshes are most of a token's lifetime apart, never a burst.
    for (let i = 1; i < refreshes.length; i++) expect(refreshes[i]!.time - refreshes[i - 1]!.time).toBeGreaterThan(2_000);
    const tokens = await Promise.all(tabs.map((tab) => text(tab, 'access-token')));
    expect(new Set(tokens).size).toBe(1);

    // A fourth tab, later: signed in from the vault, no request at all.
    const before = { ...t.model.counters };
    const fourth = await t.newPage();
    await t.open(fourth, '/', WORKER);
    await waitForStatus(fourth, 'signed-in');
    expect(await text(fourth, 'access-token')).toBe(tokens[0]);
    expect(t.model.counters.tokenExchange).toBe(before.tokenExchange);
    expect(t.model.counters.tokenRefresh).toBe(before.tokenRefresh);
    expect(t.log(fourth).documentLoads).toHaveLength(1);

    // Sign-out in one tab ends it in all four.
    await tabs[1]!.getByTestId('logout').click();
    for (const tab of [...tabs, fourth]) await waitForStatus(tab, 'signed-out');
    const fifth = await t.newPage();
    await t.open(fifth, '/', WORKER);
    await waitForStatus(fifth, 'signed-out');
  });

  test('W3. a reload of the only tab stays signed in without a token request', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    await t.open(t.page, '/', WORKER);
    await t.signIn();
    await waitForText(t.page, 'user-name', 'Coze Tester');
    const token = await text(t.page, 'access-token');
    t.model.resetCounters();
    await t.page.reload();
    await waitForStatus(t.page, 'signed-in');
    expect(await text(t.page, 'access-token')).toBe(token);
    expect(t.model.counters).toMatchObject({ tokenExchange: 0, tokenRefresh: 0 });
    // The first render after the reload said "loading", never "signed-out".
    const history = await t.page.evaluate(() => window.__e2e?.probe().statusHistory);
    expect(history?.[0]).toBe('loading');
    expect(history).not.toContain('signed-out');
  });

  test("W4. a page script that opens the app's vault itself gets no refresh token, and cannot make it post elsewhere", async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    const issued = recordIssuedRefreshTokens(t.model);
    const evil = await startEvilServer();
    try {
      await t.open(t.page, '/', WORKER);
      await t.signIn();
      await waitForText(t.page, 'user-name', 'Coze Tester');
      const url = await vaultWorkerUrl(t, t.page);
      const before = { ...t.model.counters };
      const heard = await t.page.evaluate(
        async ([workerUrl, clientId, evilEndpoint, appEndpoint]) => {
          const received: unknown[] = [];
          const options = { name: `react-coze-auth-vault/v1/${clientId}/${appEndpoint}`, type: 'module', extendedLifetime: true } as WorkerOptions;
          const worker = new SharedWorker(workerUrl, options);
          worker.onerror = () => received.push('worker error');
          const done = new Promise<void>((resolve) => {
            worker.port.onmessage = (event) => {
              received.push(event.data);
              if ((event.data as { id?: unknown }).id === 100) resolve();
            };
          });
          const send = (message: unknown) => worker.port.postMessage(message);
          send({ type: 'get-refresh-token', id: 1 });
          send({ type: 'connect', id: 2, version: 1, clientId, tokenEndpoint: evilEndpoint });
          send({ type: 'exchange-code', id: 3, code: 'x', codeVerifier: 'x'.repeat(43), redirectUri: evilEndpoint });
          send({ type: 'export', id: 4, to: evilEndpoint });
          send({ type: 'done', id: 99 });
          // Last, the app's own configuration: accepted, which proves this is the app's vault.
          send({ type: 'connect', id: 100, version: 1, clientId, tokenEndpoint: appEndpoint });
          await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5_000))]);
          worker.port.close();
          return received;
        },
        [url, CLIENT_ID, `${evil.origin}/api/permission/oauth2/token`, `${t.server.apiOrigin}/api/permission/oauth2/token`] as const,
      );
      expect(heard).not.toContain('worker error');
      // Refusals, and nothing pushed to the port before the vault accepted it; then the app's own
      // connect, answered with the sign-in (the page-safe tokens every tab of the app gets).
      expect(heard.filter((message) => (message as { type?: string }).type !== 'reply')).toEqual([]);
      expect(heard.filter((message) => (message as { type?: string }).type === 'reply')).toEqual([
        ...[1, 2, 3, 4, 99].map((id) => expect.objectContaining({ id, ok: false })),
        expect.objectContaining({ id: 100, ok: true, state: expect.objectContaining({ status: 'signed-in' }) }),
      ]);
      const everything = JSON.stringify(heard);
      expect(issued.length).toBeGreaterThan(0);
      for (const refreshToken of issued) expect(everything).not.toContain(refreshToken);
      expect(evil.hits).toEqual([]);
      expect(t.model.counters).toEqual(before);
      await waitForStatus(t.page, 'signed-in');
    } finally {
      await evil.close();
    }
  });
});
