// @vitest-environment node
// Hostile review 7: a page script's own port to the vault (same name and URL), new variants.
import { describe, expect, it } from 'vitest';
import { CLIENT_ID, createVaultWorld, REDIRECT, settle, TOKEN_URL, VERIFIER } from '../vault/vaultHarness';
import type { VaultToPageMessage } from '../../src/core/vault/vaultProtocol';
import { createVault } from '../../src/vault/createVault';
import { createPortPair } from '../vault/vaultHarness';
import { modelFetch } from '../../src/testing/index';

async function signedIn() {
  const world = createVaultWorld();
  const tab = world.openTab();
  const tokens = await world.signIn(tab.client);
  return { world, tab, tokens };
}

const replies = (received: VaultToPageMessage[]) => received.filter((m): m is Extract<VaultToPageMessage, { type: 'reply' }> => m.type === 'reply');

describe('hostile7: hostile messages to the vault', () => {
  it('held: a thousand refresh requests for the current rotation from a script are one token request, and every reply is page-safe', async () => {
    const { world, tokens } = await signedIn();
    const raw = world.rawPort();
    raw.post({ type: 'connect', id: 0, version: 1, clientId: CLIENT_ID, tokenEndpoint: TOKEN_URL });
    world.hold();
    for (let id = 1; id <= 1000; id++) raw.post({ type: 'refresh', id, sessionId: tokens.sessionId, rotation: 0 });
    await settle();
    expect(world.onWire()).toBe(1);
    await world.release();
    await settle();
    expect(world.model.counters.tokenRefresh).toBe(1);
    const ok = replies(raw.received).filter((reply) => reply.ok);
    expect(ok).toHaveLength(1001);
    const heard = JSON.stringify(raw.received);
    for (const token of world.issuedRefreshTokens) expect(heard).not.toContain(token);
  });

  it('held: prototype keys, strings for numbers and a replayed (used) code change nothing and reveal nothing', async () => {
    const { world, tokens } = await signedIn();
    const code = world.requests[0] ? JSON.parse(world.requests[0].body).code as string : '';
    const raw = world.rawPort();
    const asks: unknown[] = [
      { type: 'connect', id: 1, version: 1, clientId: CLIENT_ID, tokenEndpoint: TOKEN_URL },
      { type: 'refresh', id: 2, sessionId: tokens.sessionId, rotation: '0' },
      { type: 'refresh', id: 3, sessionId: '__proto__', rotation: 0 },
      { type: 'refresh', id: 4, sessionId: 'constructor', rotation: 0 },
      { type: 'refresh', id: 5, sessionId: tokens.sessionId, rotation: 0.5 },
      { type: 'refresh', id: 6, sessionId: tokens.sessionId, rotation: Number.MAX_SAFE_INTEGER },
      JSON.parse(`{"type":"connect","id":7,"version":1,"clientId":"${CLIENT_ID}","tokenEndpoint":"${TOKEN_URL}","__proto__":{"tokenEndpoint":"https://evil.test/api/permission/oauth2/token"}}`),
      { type: 'exchange-code', id: 8, code, codeVerifier: VERIFIER, redirectUri: REDIRECT },
      { type: 'exchange-code', id: 9, code: 'c'.repeat(8193), codeVerifier: VERIFIER, redirectUri: REDIRECT },
      { type: 'exchange-code', id: 10, code: 'x', codeVerifier: VERIFIER, redirectUri: 'javascript:alert(1)' },
    ];
    for (const ask of asks) raw.post(ask);
    await settle();
    const byId = new Map(replies(raw.received).map((reply) => [reply.id, reply]));
    expect(byId.get(2)).toMatchObject({ ok: false, error: { code: 'invalid_config' } });
    expect(byId.get(3)).toMatchObject({ ok: true, state: { status: 'signed-in', tokens: { sessionId: tokens.sessionId, rotation: 0 } } });
    expect(byId.get(5)).toMatchObject({ ok: false });
    expect(byId.get(6)).toMatchObject({ ok: true, state: { tokens: { rotation: 0 } } });
    expect(byId.get(8)).toMatchObject({ ok: false, error: { code: 'invalid_grant' } });
    expect(byId.get(9)).toMatchObject({ ok: false, error: { code: 'invalid_config' } });
    const heard = JSON.stringify(raw.received);
    expect(heard).not.toContain(code);
    expect(heard).not.toContain(VERIFIER);
    for (const token of world.issuedRefreshTokens) expect(heard).not.toContain(token);
    // Still the first sign-in, never refreshed, and nothing went anywhere but the token endpoint.
    expect(world.model.counters.tokenRefresh).toBe(0);
    expect(new Set(world.requests.map((request) => request.url))).toEqual(new Set([TOKEN_URL]));
    const honest = world.openTab();
    await expect(honest.client.ready).resolves.toMatchObject({ status: 'signed-in', tokens: { sessionId: tokens.sessionId, rotation: 0 } });
  });

  it('held: endpoint spellings: default port and host case are the same endpoint; a trailing-dot host or extra slash is refused', async () => {
    const { world } = await signedIn();
    const raw = world.rawPort();
    const url = new URL(TOKEN_URL);
    const variants = [
      `${url.protocol}//${url.host.toUpperCase()}${url.pathname}`,
      `${url.protocol}//${url.hostname}.${url.port ? `:${url.port}` : ''}${url.pathname}`,
      `${TOKEN_URL}/`,
      `${url.protocol}//${url.host}/x/..${url.pathname}`,
    ];
    variants.forEach((tokenEndpoint, index) => raw.post({ type: 'connect', id: index + 1, version: 1, clientId: CLIENT_ID, tokenEndpoint }));
    await settle();
    const outcome = replies(raw.received).map((reply) => [reply.id, reply.ok]);
    expect(outcome).toEqual([[1, true], [2, false], [3, false], [4, true]]);
  });

  it('fixed: the vault\'s token requests follow redirects: a 307/308 from the endpoint re-posts the grant (refresh token) to wherever Location points', async () => {
    // fetch's default is redirect: 'follow'; on 307/308 the browser re-sends the same POST body
    // (the refresh token) to the Location URL, on any origin that answers the CORS preflight.
    const { world } = await signedIn();
    const inits: RequestInit[] = [];
    const answer = modelFetch(world.model);
    const vault = createVault({
      clock: world.clock,
      fetch: (input, init) => {
        inits.push(init);
        return answer(input, init);
      },
    });
    const pair = createPortPair();
    const received: VaultToPageMessage[] = [];
    pair.page.onmessage = ({ data }) => received.push(data as VaultToPageMessage);
    vault.attach(pair.vault);
    pair.page.postMessage({ type: 'connect', id: 1, version: 1, clientId: CLIENT_ID, tokenEndpoint: TOKEN_URL });
    pair.page.postMessage({ type: 'exchange-code', id: 2, code: await world.authorize(), codeVerifier: VERIFIER, redirectUri: REDIRECT });
    await settle();
    const signedInHere = replies(received).find((reply) => reply.id === 2);
    expect(signedInHere).toMatchObject({ ok: true });
    const sessionId = signedInHere?.ok && signedInHere.state.status === 'signed-in' ? signedInHere.state.tokens.sessionId : '';
    pair.page.postMessage({ type: 'refresh', id: 3, sessionId, rotation: 0 });
    await settle();
    expect(inits).toHaveLength(2);
    expect(JSON.parse(String(inits[1]?.body))).toHaveProperty('refresh_token');
    for (const init of inits) {
      expect(['error', 'manual'], 'the vault must not let a redirect carry its grant to another URL').toContain(init.redirect);
    }
  });
});
