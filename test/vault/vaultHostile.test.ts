// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { checkTokenEndpoint } from '../../src/vault/tokenEndpointPolicy';
import { CLIENT_ID, createVaultWorld, REDIRECT, settle, TOKEN_URL, VERIFIER } from './vaultHarness';

const EVIL_ENDPOINT = 'https://evil.test/api/permission/oauth2/token';

/** A signed-in vault with two rotations spent, so there are refresh tokens to go after. */
async function signedInWorld() {
  const world = createVaultWorld();
  const tab = world.openTab();
  const { sessionId } = await world.signIn(tab.client);
  await tab.client.refresh(sessionId, 0);
  await tab.client.refresh(sessionId, 1);
  expect(world.issuedRefreshTokens).toHaveLength(3);
  return { world, tab, sessionId };
}

describe('vault: a hostile script on the page gets nothing', () => {
  it('has no message that reveals a refresh token, however it asks', async () => {
    const { world, sessionId } = await signedInWorld();
    const raw = world.rawPort();
    const asks: unknown[] = [
      { type: 'get-refresh-token', id: 1 },
      { type: 'export', id: 2 },
      { type: 'debug', id: 3, what: 'state' },
      { type: 'connect', id: 4, version: 1, clientId: CLIENT_ID, tokenEndpoint: TOKEN_URL },
      { type: 'refresh', id: 5, sessionId, rotation: 2, include: ['refresh_token'], refreshToken: true },
      { type: 'state', id: 6 },
      { type: 'reply', id: 7, ok: true },
      { type: 'refresh', id: 8, sessionId, rotation: -1 },
      { type: 'refresh', id: 9, sessionId: { toString: 'x' }, rotation: 0 },
      JSON.parse('{"type":"refresh","id":10,"__proto__":{"refreshToken":"give"},"sessionId":"s","rotation":0}'),
      // Garbage of every shape.
      null,
      undefined,
      42,
      'refresh_token',
      ['connect'],
      { id: 'x' },
      { type: 'connect' },
      { type: 'exchange-code', id: 11, code: 'x'.repeat(100_000), codeVerifier: VERIFIER, redirectUri: REDIRECT },
      new Uint8Array(64),
    ];
    for (const ask of asks) raw.post(ask);
    await settle();

    const heard = JSON.stringify(raw.received);
    for (const refreshToken of world.issuedRefreshTokens) expect(heard).not.toContain(refreshToken);
    expect(heard).not.toMatch(/refresh_?token"?\s*:/i);
    // Only the connect and the two well-formed refreshes (the current rotation, and another
    // sign-in's id, answered with the current access token) succeeded; the rest was refused or ignored.
    const replies = raw.received.filter((message) => message.type === 'reply');
    expect(replies.filter((reply) => reply.ok).map((reply) => reply.id).sort((a, b) => a - b)).toEqual([4, 5, 10]);
    for (const reply of replies) if (!reply.ok) expect(Object.keys(reply.error).sort()).toEqual(['code', 'message']);
    // The vault still serves the honest tab.
    const honest = world.openTab();
    await expect(honest.client.refresh(sessionId, 3)).resolves.toMatchObject({ rotation: 4 });
  });

  it('cannot be pointed at another token endpoint once configured, nor asked for anything before connecting', async () => {
    const { world, sessionId } = await signedInWorld();
    const raw = world.rawPort();
    raw.post({ type: 'refresh', id: 1, sessionId, rotation: 2 });
    raw.post({ type: 'sign-out', id: 2 });
    raw.post({ type: 'connect', id: 3, version: 1, clientId: CLIENT_ID, tokenEndpoint: EVIL_ENDPOINT });
    raw.post({ type: 'refresh', id: 4, sessionId, rotation: 2 });
    raw.post({ type: 'connect', id: 5, version: 1, clientId: 'another-app', tokenEndpoint: TOKEN_URL });
    raw.post({ type: 'connect', id: 6, version: 2, clientId: CLIENT_ID, tokenEndpoint: TOKEN_URL });
    await settle();

    const replies = raw.received.filter((message) => message.type === 'reply');
    expect(replies.map((reply) => [reply.id, reply.ok ? 'ok' : reply.error.code])).toEqual([
      [1, 'invalid_config'],
      [2, 'invalid_config'],
      [3, 'invalid_config'],
      [4, 'invalid_config'],
      [5, 'invalid_config'],
      [6, 'invalid_config'],
    ]);
    // Still signed in, nothing was spent, and every request went to the configured endpoint only.
    const honest = world.openTab();
    await expect(honest.client.ready).resolves.toMatchObject({ status: 'signed-in', tokens: { rotation: 2 } });
    expect(new Set(world.requests.map((request) => request.url))).toEqual(new Set([TOKEN_URL]));
  });

  it('refuses a first page that configures an endpoint off https, or off the token path', async () => {
    const world = createVaultWorld();
    const raw = world.rawPort();
    const endpoints = [
      'http://evil.test/api/permission/oauth2/token',
      'https://evil.test/steal',
      `${TOKEN_URL}?copy_to=https://evil.test`,
      'https://user:pass@api.coze.test/api/permission/oauth2/token',
      'javascript:alert(1)//api/permission/oauth2/token',
      'not a url',
    ];
    endpoints.forEach((tokenEndpoint, id) => raw.post({ type: 'connect', id, version: 1, clientId: CLIENT_ID, tokenEndpoint }));
    await settle();
    expect(raw.received.map((message) => message.type === 'reply' && !message.ok && message.error.code)).toEqual(
      endpoints.map(() => 'invalid_config'),
    );
    // Nothing was configured: an honest page still can.
    const honest = world.openTab();
    await expect(honest.client.ready).resolves.toMatchObject({ status: 'signed-out' });
  });

  it('posts a grant only to the configured endpoint, even when a page chose it first', async () => {
    // A script that connects first with Coze's real URL gains nothing; one with its own URL
    // locks the honest page out (invalid_config) before any grant reaches the vault.
    const world = createVaultWorld();
    const first = world.openTab('https://api.other.test/api/permission/oauth2/token');
    await first.client.ready;
    const honest = world.openTab();
    await expect(honest.client.ready).rejects.toMatchObject({ code: 'invalid_config' });
    const code = await world.authorize();
    await expect(honest.client.exchangeCode({ code, codeVerifier: VERIFIER, redirectUri: REDIRECT })).rejects.toMatchObject({
      code: 'invalid_config',
    });
    expect(world.requests).toHaveLength(0);
  });
});

describe('checkTokenEndpoint', () => {
  it.each([
    ['https://api.coze.cn/api/permission/oauth2/token', true],
    ['https://api.coze.com/api/permission/oauth2/token', true],
    ['https://coze.example/prefix/api/permission/oauth2/token', true],
    ['http://127.0.0.1:4010/api/permission/oauth2/token', true],
    ['http://localhost:4010/api/permission/oauth2/token', true],
    ['http://[::1]:4010/api/permission/oauth2/token', true],
    ['http://api.coze.cn/api/permission/oauth2/token', false],
    ['http://127.0.0.1.evil.test/api/permission/oauth2/token', false],
    ['https://api.coze.cn/api/permission/oauth2/token#x', false],
    ['https://api.coze.cn/api/permission/oauth2/token?x=1', false],
    ['https://api.coze.cn/v1/users/me', false],
    ['ftp://api.coze.cn/api/permission/oauth2/token', false],
    ['data:text/plain,/api/permission/oauth2/token', false],
  ])('%s → %s', (url, accepted) => {
    expect(checkTokenEndpoint(url) !== undefined).toBe(accepted);
  });
});
