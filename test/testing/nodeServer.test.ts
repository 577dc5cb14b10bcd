// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import type { CozeTokenResponse } from '../../src/testing/index';
import { startFakeCozeServer, type FakeCozeServer } from '../../src/testing/node';
import { main, USAGE } from '../../src/testing/server/cli';
import { s256CodeChallenge } from '../../src/testing/server/pkce';

const APP = 'http://127.0.0.1:5173';
const REDIRECT = `${APP}/callback`;
const VERIFIER = 'node-server-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';

const servers: FakeCozeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Partial<Parameters<typeof startFakeCozeServer>[0]> = {}): Promise<FakeCozeServer> {
  const server = await startFakeCozeServer({ clients: [{ clientId: 'demo', name: 'Demo', redirectUris: [REDIRECT] }], ...options });
  servers.push(server);
  return server;
}

async function authorizeUrl(server: FakeCozeServer): Promise<string> {
  const url = new URL(`${server.webOrigin}/api/permission/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: 'demo',
    redirect_uri: REDIRECT,
    state: 's1',
    code_challenge: await s256CodeChallenge(VERIFIER),
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

describe('startFakeCozeServer', () => {
  it('listens on two ephemeral ports of 127.0.0.1', async () => {
    const server = await start();
    expect(server.apiOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.webOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.apiOrigin).not.toBe(server.webOrigin);
    expect(server.model.apiOrigin).toBe(server.apiOrigin);
  });

  it('runs the browser flow over real HTTP: consent page, form post, token, API', async () => {
    const server = await start();
    const page = await fetch(await authorizeUrl(server));
    expect(page.status).toBe(200);
    const html = await page.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
    expect(action).toBe(`${server.webOrigin}/api/permission/oauth2/authorize/decision`);

    const decided = await fetch(action ?? '', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId ?? '', decision: 'approve' }),
    });
    expect(decided.status).toBe(302);
    const callback = new URL(decided.headers.get('Location') ?? '');
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe('s1');

    const token = await fetch(`${server.apiOrigin}/api/permission/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: APP },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        client_id: 'demo',
        redirect_uri: REDIRECT,
        code: callback.searchParams.get('code'),
        code_verifier: VERIFIER,
      }),
    });
    expect(token.status).toBe(200);
    expect(token.headers.get('access-control-allow-origin')).toBe(APP);
    expect(token.headers.get('access-control-expose-headers')).toBe('x-tt-logid');
    const tokens = (await token.json()) as CozeTokenResponse;
    const me = await fetch(`${server.apiOrigin}/v1/users/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(200);
  });

  it('answers CORS preflights over the wire', async () => {
    const server = await start();
    const response = await fetch(`${server.apiOrigin}/api/permission/oauth2/token`, {
      method: 'OPTIONS',
      headers: { Origin: APP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
  });

  it('destroys the socket for a network failure', async () => {
    const server = await start();
    server.model.failNext('api', 'network');
    const failure = await fetch(`${server.apiOrigin}/v1/users/me`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((await fetch(`${server.apiOrigin}/v1/users/me`)).status).toBe(401);
  });

  it('answers 404 to paths the model does not serve, on either origin', async () => {
    const server = await start();
    expect((await fetch(`${server.apiOrigin}/v1/bots`)).status).toBe(404);
    expect((await fetch(`${server.webOrigin}/v1/users/me`)).status).toBe(404);
  });

  it('applies the model latency', async () => {
    const server = await start({ latencyMs: 80 });
    const started = performance.now();
    await fetch(`${server.apiOrigin}/v1/users/me`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('stops listening on close()', async () => {
    const server = await start();
    await server.close();
    await expect(fetch(`${server.apiOrigin}/v1/users/me`)).rejects.toThrow(TypeError);
  });

  it('reports a port in use and leaves nothing running', async () => {
    const first = await start();
    const port = Number(new URL(first.apiOrigin).port);
    await expect(startFakeCozeServer({ apiPort: port, clients: [{ clientId: 'x', redirectUris: [REDIRECT] }] })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});

describe('cli main()', () => {
  it('starts the server from flags and prints both origins', async () => {
    const lines: string[] = [];
    const server = await main(
      [
        '--api-port', '0',
        '--web-port', '0',
        '--client-id', 'cli-app',
        '--redirect-uri', REDIRECT,
        '--redirect-uri', 'http://localhost:5173/callback',
        '--app-origin', 'http://localhost:5173',
        '--access-ttl', '30',
        '--chat-chunk-ms', '5',
        '--auto-approve',
      ],
      (line) => lines.push(line),
    );
    if (!server) throw new Error('no server');
    servers.push(server);
    expect(lines).toEqual([`Fake Coze api origin: ${server.apiOrigin}`, `Fake Coze web origin: ${server.webOrigin}`]);
    const url = new URL(`${server.webOrigin}/api/permission/oauth2/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'cli-app',
      redirect_uri: 'http://localhost:5173/callback',
      state: '',
      code_challenge: VERIFIER,
      code_challenge_method: 'plain',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(server.model.issueTokens({ clientId: 'cli-app' }).expires_in).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 30);
    // --app-origin replaces the redirect URIs' origins for CORS.
    const cors = await fetch(`${server.apiOrigin}/v1/users/me`, { headers: { Origin: APP } });
    expect(cors.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('takes the latency, token latency and clock offset knobs', async () => {
    const server = await main(
      ['--api-port', '0', '--web-port', '0', '--client-id', 'cli-app', '--latency', '20', '--token-latency', '150', '--clock-offset=-3600000'],
      () => undefined,
    );
    if (!server) throw new Error('no server');
    servers.push(server);
    const tokens = server.model.issueTokens({ clientId: 'cli-app' });
    // Coze's clock is an hour behind the real one.
    expect(tokens.expires_in).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 3600 + 900);
    expect(tokens.expires_in).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 3600 + 890);
    const started = performance.now();
    const refreshed = await fetch(`${server.apiOrigin}/api/permission/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', client_id: 'cli-app', refresh_token: tokens.refresh_token }),
    });
    expect(refreshed.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(160);
    await expect(main(['--clock-offset=ahead'], () => undefined)).rejects.toThrow(/--clock-offset/);
    await expect(main(['--token-latency', '-5'], () => undefined)).rejects.toThrow();
  });

  it('prints the usage for --help and refuses bad flags', async () => {
    const lines: string[] = [];
    expect(await main(['--help'], (line) => lines.push(line))).toBeUndefined();
    expect(lines).toEqual([USAGE]);
    await expect(main(['--api-port', 'eighty'], () => undefined)).rejects.toThrow(/--api-port/);
    await expect(main(['--chat-chunk-ms', '-5'], () => undefined)).rejects.toThrow(/--chat-chunk-ms/);
    await expect(main(['--no-such-flag'], () => undefined)).rejects.toThrow();
  });
});
