/**
 * The token vault in real Chromium, from the built package: `vite build` of the library (and of
 * the worker, `vite.worker.config.ts`) into a temp dir, served as `/dist/…` next to a blank page
 * that imports `dist/core/vault/vaultClient.js` as a plain ES module. No app bundler rewrites the
 * worker's URL: the page opens `new URL('../../vault/vaultWorker.js', import.meta.url)` as shipped.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaultState, VaultTokens } from '../../src/core/vault/vaultProtocol';
import { startFakeCozeServer, type FakeCozeServer } from '../../src/testing/node';
import { s256CodeChallenge } from '../../src/testing/server/pkce';
import { chromiumForThisFile } from './support/harness';
import { startEvilServer } from './support/evilServer';
import { startStaticServer, type StaticServer } from './support/staticServer';

const CLIENT_ID = 'e2e-vault';
const VERIFIER = 'e2e-vault-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
// Fake Coze's refresh tokens start so (see src/testing/server/tokenStore.ts); access tokens `at_`.
const REFRESH_TOKEN_MARK = 'rt_';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>vault smoke</title>
<script type="module">
  import { createVaultClient } from '/dist/core/vault/vaultClient.js';
  window.__vault = { createVaultClient, events: [] };
  document.title = 'ready';
</script>`;

interface VaultWindow {
  __vault: {
    createVaultClient: typeof import('../../src/core/vault/vaultClient').createVaultClient;
    client?: import('../../src/core/vault/vaultClient').VaultClient;
    events: unknown[];
  };
}

const browserHolder = chromiumForThisFile();
let root: string;
let site: StaticServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'coze-vault-e2e-'));
  const outDir = join(root, 'dist');
  // The package as `npm run build` makes it (types aside).
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  await build({ configFile: 'vite.worker.config.ts', logLevel: 'warn', build: { outDir: join(outDir, 'vault'), emptyOutDir: true } });
  // The same worker at another URL: what the next release's bundler-hashed script is to this one.
  await cp(join(outDir, 'vault'), join(root, 'next-release'), { recursive: true });
  await writeFile(join(root, 'index.html'), PAGE);
  site = await startStaticServer(root);
}, 120_000);

afterAll(async () => {
  await site?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

interface World {
  coze: FakeCozeServer;
  context: BrowserContext;
  tokenEndpoint: string;
  openTab(): Promise<Page>;
  close(): Promise<void>;
}

async function startWorld(): Promise<World> {
  const coze = await startFakeCozeServer({ clients: [{ clientId: CLIENT_ID, name: 'Vault', redirectUris: [`${site.origin}/callback`] }] });
  const context = await browserHolder.browser.newContext();
  return {
    coze,
    context,
    tokenEndpoint: `${coze.apiOrigin}/api/permission/oauth2/token`,
    async openTab() {
      const page = await context.newPage();
      await page.goto(`${site.origin}/`);
      await page.waitForFunction(() => document.title === 'ready');
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      await coze.close();
    },
  };
}

/** Connects the tab's vault client; resolves the state the vault greeted it with. */
function connect(page: Page, tokenEndpoint: string, workerUrl?: string): Promise<VaultState> {
  return page.evaluate(
    ([clientId, endpoint, url]) => {
      const vault = (window as unknown as VaultWindow).__vault;
      vault.client = vault.createVaultClient({ clientId, tokenEndpoint: endpoint, ...(url ? { workerUrl: url } : {}) });
      vault.client.subscribe((event) => vault.events.push(event));
      return vault.client.ready;
    },
    [CLIENT_ID, tokenEndpoint, workerUrl ?? ''] as const,
  );
}

/** Consent at the fake Coze (server side), then the code exchange in the tab's vault. */
async function signIn(world: World, page: Page): Promise<VaultTokens> {
  const authorize = new URL(`${world.coze.webOrigin}/api/permission/oauth2/authorize`);
  const redirectUri = `${site.origin}/callback`;
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: redirectUri,
    state: 'e2e',
    code_challenge: await s256CodeChallenge(VERIFIER),
    code_challenge_method: 'S256',
  }).toString();
  const code = new URL(await world.coze.model.approve(authorize.href)).searchParams.get('code') ?? '';
  return page.evaluate(
    (grant) => (window as unknown as VaultWindow).__vault.client!.exchangeCode(grant),
    { code, codeVerifier: VERIFIER, redirectUri },
  );
}

function refresh(page: Page, sessionId: string, rotation: number): Promise<VaultTokens> {
  return page.evaluate(([id, r]) => (window as unknown as VaultWindow).__vault.client!.refresh(id, r), [sessionId, rotation] as const);
}

/** Everything the page can reach by name: its storages, cookies, and what the vault client heard. */
function pageReachable(page: Page): Promise<string> {
  return page.evaluate(() =>
    JSON.stringify({
      local: { ...localStorage },
      session: { ...sessionStorage },
      cookie: document.cookie,
      events: (window as unknown as VaultWindow).__vault.events,
      state: (window as unknown as VaultWindow).__vault.client?.state,
    }),
  );
}

describe('token vault (built worker, real Chromium)', () => {
  it('loads dist/vault/vaultWorker.js as one SharedWorker that two tabs share: one exchange, one refresh for both, sign-out in one ends both', async () => {
    const world = await startWorld();
    try {
      const first = await world.openTab();
      expect(await connect(first, world.tokenEndpoint)).toMatchObject({ status: 'signed-out', reason: 'never-signed-in' });
      const tokens = await signIn(world, first);
      expect(tokens).toMatchObject({ rotation: 0, canRefresh: true });

      // The second tab finds the sign-in in the vault: no request to Coze.
      const second = await world.openTab();
      expect(await connect(second, world.tokenEndpoint)).toEqual({ status: 'signed-in', tokens });
      expect(world.coze.model.counters).toMatchObject({ tokenExchange: 1, tokenRefresh: 0 });

      // One SharedWorker, from the package's path.
      const cdp = await world.context.newCDPSession(first);
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
      const vaults = targetInfos.filter((target) => target.type === 'shared_worker');
      expect(vaults.map((target) => target.url)).toEqual([`${site.origin}/dist/vault/vaultWorker.js`]);

      // Both tabs ask at once while Coze is slow: one request, the same rotated tokens for both.
      world.coze.model.setTokenLatency(500, 'refresh');
      const [a, b] = await Promise.all([refresh(first, tokens.sessionId, 0), refresh(second, tokens.sessionId, 0)]);
      expect(a).toEqual(b);
      expect(a).toMatchObject({ sessionId: tokens.sessionId, rotation: 1 });
      expect(world.coze.model.counters).toMatchObject({ tokenRefresh: 1, tokenErrors: 0 });

      for (const page of [first, second]) expect(await pageReachable(page)).not.toContain(REFRESH_TOKEN_MARK);

      await second.evaluate(() => (window as unknown as VaultWindow).__vault.client!.signOut());
      await first.waitForFunction(() => (window as unknown as VaultWindow).__vault.client?.state?.status === 'signed-out');
    } finally {
      await world.close();
    }
  });

  it('a sign-out reaches the vault of another release (another worker URL): its tabs are signed out and it spends nothing more', async () => {
    const world = await startWorld();
    try {
      const old = await world.openTab();
      await connect(old, world.tokenEndpoint);
      const tokens = await signIn(world, old);
      const fresh = await world.openTab();
      expect(await connect(fresh, world.tokenEndpoint, '/next-release/vaultWorker.js')).toMatchObject({ status: 'signed-out', reason: 'never-signed-in' });
      await signIn(world, fresh);

      const cdp = await world.context.newCDPSession(old);
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
      await cdp.detach();
      expect(targetInfos.filter((target) => target.type === 'shared_worker').map((target) => target.url).sort()).toEqual([
        `${site.origin}/dist/vault/vaultWorker.js`,
        `${site.origin}/next-release/vaultWorker.js`,
      ]);

      await fresh.evaluate(() => (window as unknown as VaultWindow).__vault.client!.signOut());
      await old.waitForFunction(() => (window as unknown as VaultWindow).__vault.client?.state?.status === 'signed-out');
      expect(await old.evaluate(() => (window as unknown as VaultWindow).__vault.client?.state)).toMatchObject({ status: 'signed-out', reason: 'logout' });
      const before = { ...world.coze.model.counters };
      const outcome = await old.evaluate(
        (sessionId) => (window as unknown as VaultWindow).__vault.client!.refresh(sessionId, 0).then(() => 'refreshed', (error: { code?: string }) => error.code),
        tokens.sessionId,
      );
      expect(outcome).toBe('login_required');
      expect(world.coze.model.counters).toEqual(before);
    } finally {
      await world.close();
    }
  });

  it("gives a page script's hostile messages nothing, and posts nothing to the origin it names", async () => {
    const world = await startWorld();
    const evil = await startEvilServer();
    try {
      const page = await world.openTab();
      await connect(page, world.tokenEndpoint);
      const tokens = await signIn(world, page);
      await refresh(page, tokens.sessionId, 0);
      const before = { ...world.coze.model.counters };

      // An injected script opens the same vault by hand and tries everything.
      const heard = await page.evaluate(
        async ([clientId, evilEndpoint, sessionId, appEndpoint]) => {
          const received: unknown[] = [];
          // The same script URL, name and options as the app's: the same vault. (Chromium refuses
          // a connection whose options differ: without `extendedLifetime` it gets an error event.)
          const options = { name: `react-coze-auth-vault/v1/${clientId}/${appEndpoint}`, type: 'module', extendedLifetime: true } as WorkerOptions;
          const worker = new SharedWorker('/dist/vault/vaultWorker.js', options);
          worker.onerror = () => received.push('worker error');
          const done = new Promise<void>((resolve) => {
            worker.port.onmessage = (event) => {
              received.push(event.data);
              if ((event.data as { id?: unknown }).id === 1000) resolve();
            };
          });
          const send = (message: unknown) => worker.port.postMessage(message);
          send({ type: 'get-refresh-token', id: 1 });
          send({ type: 'refresh', id: 2, sessionId, rotation: 1, refreshToken: true });
          send({ type: 'connect', id: 3, version: 1, clientId, tokenEndpoint: evilEndpoint });
          send({ type: 'exchange-code', id: 4, code: 'stolen', codeVerifier: 'x'.repeat(43), redirectUri: evilEndpoint });
          send({ type: 'refresh', id: 5, sessionId, rotation: 1 });
          send('refresh_token please');
          send(null);
          send([1, 2, 3]);
          send({ type: 'sign-out' });
          send({ type: 'done', id: 999 });
          // Last, the app's own configuration: accepted, which proves this is the app's vault.
          send({ type: 'connect', id: 1000, version: 1, clientId, tokenEndpoint: appEndpoint });
          await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5_000))]);
          worker.port.close();
          return received;
        },
        [CLIENT_ID, `${evil.origin}/api/permission/oauth2/token`, tokens.sessionId, world.tokenEndpoint] as const,
      );

      expect(heard).not.toContain('worker error');
      const text = JSON.stringify(heard);
      expect(text).not.toContain(REFRESH_TOKEN_MARK);
      // Nothing pushed to a port the vault has not accepted: refusals only, until the app's own connect.
      expect(heard.filter((message) => (message as { type?: string }).type !== 'reply')).toEqual([]);
      expect(heard.at(-1)).toMatchObject({ type: 'reply', id: 1000, ok: true, state: { status: 'signed-in', tokens: { sessionId: tokens.sessionId } } });
      const replies = heard.filter((message): message is { id: number; ok: boolean; error?: { code: string } } => (message as { type?: string }).type === 'reply');
      expect(replies.map((reply) => [reply.id, reply.ok, reply.error?.code])).toEqual([
        [1, false, 'invalid_config'],
        [2, false, 'invalid_config'],
        [3, false, 'invalid_config'],
        [4, false, 'invalid_config'],
        [5, false, 'invalid_config'],
        [999, false, 'invalid_config'],
        [1000, true, undefined],
      ]);
      expect(evil.hits).toEqual([]);
      expect(world.coze.model.counters).toEqual(before);
      // The app's own tab is still signed in.
      expect(await page.evaluate(() => (window as unknown as VaultWindow).__vault.client?.state?.status)).toBe('signed-in');
      expect(await pageReachable(page)).not.toContain(REFRESH_TOKEN_MARK);
    } finally {
      await evil.close();
      await world.close();
    }
  });
});
