// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { isCozeAuthError, type CozeAuthError } from '../../src/core/errors';
import { VAULT_PROTOCOL_VERSION } from '../../src/core/vault/vaultProtocol';
import { CLIENT_ID, createVaultWorld, REDIRECT, settle, TOKEN_URL, VERIFIER } from './vaultHarness';

async function rejection(promise: Promise<unknown>): Promise<CozeAuthError> {
  try {
    await promise;
  } catch (error) {
    if (isCozeAuthError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const refreshes = (world: ReturnType<typeof createVaultWorld>) => world.model.counters.tokenRefresh;

describe('vault: sign-in', () => {
  it('exchanges the code and gives every connected tab the access token, never the refresh token', async () => {
    const world = createVaultWorld();
    const a = world.openTab();
    const b = world.openTab();
    await Promise.all([a.client.ready, b.client.ready]);

    const tokens = await world.signIn(a.client);
    await settle();

    expect(tokens).toMatchObject({ sessionId: 'session-1', rotation: 0, tokenType: 'Bearer', canRefresh: true });
    expect(typeof tokens.cozeExpiresAt).toBe('number');
    expect(tokens).not.toHaveProperty('refreshToken');
    expect(b.client.state).toEqual({ status: 'signed-in', tokens });
    expect(b.events).toEqual([
      { type: 'state', state: { status: 'signed-out', reason: 'never-signed-in', error: undefined } },
      { type: 'state', state: { status: 'signed-in', tokens } },
    ]);
    expect(world.model.counters.tokenExchange).toBe(1);
  });

  it('signs a tab opened later in at once, without a request to Coze or a question', async () => {
    const world = createVaultWorld();
    const first = world.openTab();
    await first.client.ready;
    const tokens = await world.signIn(first.client);
    const requestsBefore = world.requests.length;

    // Nothing reaches a port before the vault accepted its connect; the reply carries the sign-in.
    const raw = world.rawPort();
    await settle();
    expect(raw.received).toEqual([]);
    raw.post({ type: 'connect', id: 1, version: VAULT_PROTOCOL_VERSION, clientId: CLIENT_ID, tokenEndpoint: TOKEN_URL });
    await settle();
    expect(raw.received).toEqual([{ type: 'reply', id: 1, ok: true, state: { status: 'signed-in', tokens } }]);

    const later = world.openTab();
    await settle();
    expect(later.client.state).toEqual({ status: 'signed-in', tokens });
    await expect(later.client.ready).resolves.toEqual({ status: 'signed-in', tokens });
    expect(world.requests).toHaveLength(requestsBefore);
  });

  it.each([
    ['the newer', 1],
    ['the older', 0],
  ])('keeps the newer of two overlapping sign-ins when Coze answers %s first', async (_, first) => {
    const world = createVaultWorld();
    const a = world.openTab();
    const b = world.openTab();
    const codeA = await world.authorize();
    const codeB = await world.authorize();
    world.hold();
    const older = a.client.exchangeCode({ code: codeA, codeVerifier: VERIFIER, redirectUri: REDIRECT });
    older.catch(() => undefined);
    await settle();
    const newer = b.client.exchangeCode({ code: codeB, codeVerifier: VERIFIER, redirectUri: REDIRECT });
    await settle();
    await world.releaseOne(first);
    await world.release();

    const kept = await newer;
    // Answered after the newer one: dropped. Answered before it: replaced by it.
    if (first === 1) expect((await rejection(older)).code).toBe('login_required');
    else expect((await older).sessionId).not.toBe(kept.sessionId);
    for (const { client } of [a, b]) expect(client.state).toEqual({ status: 'signed-in', tokens: kept });
  });

  it('drops the answer of a code exchange that a sign-out overtook', async () => {
    const world = createVaultWorld();
    const a = world.openTab();
    const b = world.openTab();
    const code = await world.authorize();
    world.hold();
    const exchange = rejection(a.client.exchangeCode({ code, codeVerifier: VERIFIER, redirectUri: REDIRECT }));
    await settle();
    await b.client.signOut();
    await world.release();

    expect((await exchange).code).toBe('login_required');
    expect(a.client.state).toMatchObject({ status: 'signed-out', reason: 'logout' });
  });

  it('reports a refused code with a code and a message only, neither holding the code or verifier', async () => {
    const world = createVaultWorld();
    const tab = world.openTab();
    const code = await world.authorize();
    await tab.client.exchangeCode({ code, codeVerifier: VERIFIER, redirectUri: REDIRECT });

    const raw = world.rawPort();
    raw.post({ type: 'connect', id: 1, version: 1, clientId: CLIENT_ID, tokenEndpoint: TOKEN_URL });
    raw.post({ type: 'exchange-code', id: 2, code, codeVerifier: VERIFIER, redirectUri: REDIRECT });
    await settle();

    const reply = raw.received.find((message) => message.type === 'reply' && message.id === 2);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_grant' } });
    const error = (reply as { error: object }).error;
    expect(Object.keys(error).sort()).toEqual(['code', 'message']);
    expect(JSON.stringify(error)).not.toContain(code);
    expect(JSON.stringify(error)).not.toContain(VERIFIER);
  });
});

describe('vault: refresh', () => {
  it('sends one refresh request for any number of tabs asking at once, and tells them all', async () => {
    const world = createVaultWorld();
    const tabs = Array.from({ length: 5 }, () => world.openTab());
    const { sessionId } = await world.signIn(tabs[0]!.client);
    await settle();

    world.hold();
    const asked = tabs.map(({ client }) => client.refresh(sessionId, 0));
    await settle();
    expect(world.onWire()).toBe(1);
    await world.release();

    const answers = await Promise.all(asked);
    expect(refreshes(world)).toBe(1);
    expect(new Set(answers.map((tokens) => tokens.accessToken)).size).toBe(1);
    expect(answers[0]).toMatchObject({ sessionId, rotation: 1 });
    for (const { client } of tabs) expect(client.state).toEqual({ status: 'signed-in', tokens: answers[0] });
  });

  it('never spends a rotation twice: a tab asking with older tokens gets the newer ones without a request', async () => {
    const world = createVaultWorld();
    const a = world.openTab();
    const b = world.openTab();
    const { sessionId } = await world.signIn(a.client);

    for (let rotation = 0; rotation < 3; rotation++) {
      await a.client.refresh(sessionId, rotation);
      // b lagged behind and still holds `rotation`: it must not make the vault spend it again.
      const seen = await b.client.refresh(sessionId, rotation);
      expect(seen.rotation).toBe(rotation + 1);
    }
    expect(refreshes(world)).toBe(3);
    expect(world.model.counters.tokenErrors).toBe(0);
    // A rotation that never existed, or another sign-in's id: the current tokens, no request.
    await expect(b.client.refresh(sessionId, 99)).resolves.toMatchObject({ rotation: 3 });
    await expect(b.client.refresh('someone-else', 0)).resolves.toMatchObject({ sessionId, rotation: 3 });
    expect(refreshes(world)).toBe(3);
  });

  it('keeps the refresh token after a transient failure and tells every tab to back off', async () => {
    const world = createVaultWorld();
    const a = world.openTab();
    const b = world.openTab();
    const { sessionId } = await world.signIn(a.client);
    world.model.failNext('refresh', { status: 503 });

    expect((await rejection(a.client.refresh(sessionId, 0))).code).toBe('server_error');
    await settle();
    expect(b.events.at(-1)).toMatchObject({ type: 'refresh-failed', sessionId, rotation: 0, error: { code: 'server_error' } });
    expect(b.client.state).toMatchObject({ status: 'signed-in', tokens: { rotation: 0 } });

    await expect(b.client.refresh(sessionId, 0)).resolves.toMatchObject({ rotation: 1 });
    expect(refreshes(world)).toBe(2);
  });

  it('ends the sign-in for every tab when Coze rejects the refresh token', async () => {
    const world = createVaultWorld();
    const a = world.openTab();
    const b = world.openTab();
    const { sessionId } = await world.signIn(a.client);
    world.model.failRefreshWith('invalid_grant');

    expect((await rejection(a.client.refresh(sessionId, 0))).code).toBe('invalid_grant');
    await settle();
    expect(b.client.state).toMatchObject({ status: 'signed-out', reason: 'refresh-rejected', error: { code: 'invalid_grant' } });
    // The dead grant is not tried again; the reason is what every later ask hears.
    expect((await rejection(b.client.refresh(sessionId, 0))).code).toBe('invalid_grant');
    expect(refreshes(world)).toBe(1);
  });

  it('says session_expired, without a request, when Coze gave no refresh token', async () => {
    const world = createVaultWorld();
    const tab = world.openTab();
    const realFetch = world.model.handle.bind(world.model);
    // Coze answering the exchange without a refresh_token.
    world.model.handle = async (request) => {
      const outcome = await realFetch(request);
      if (!(outcome instanceof Response) || !request.url.endsWith('/token')) return outcome;
      const { refresh_token: _dropped, ...body } = (await outcome.json()) as Record<string, unknown>;
      return Response.json(body, { status: outcome.status });
    };
    const { sessionId, canRefresh } = await world.signIn(tab.client);
    expect(canRefresh).toBe(false);
    expect((await rejection(tab.client.refresh(sessionId, 0))).code).toBe('session_expired');
    expect(refreshes(world)).toBe(0);
  });
});

describe('vault: sign-out', () => {
  it('ends the sign-in in every tab and spends nothing afterwards', async () => {
    const world = createVaultWorld();
    const tabs = [world.openTab(), world.openTab(), world.openTab()];
    const { sessionId } = await world.signIn(tabs[0]!.client);

    await tabs[1]!.client.signOut();
    await settle();
    for (const { client } of tabs) expect(client.state).toEqual({ status: 'signed-out', reason: 'logout', error: undefined });
    expect((await rejection(tabs[2]!.client.refresh(sessionId, 0))).code).toBe('login_required');
    expect(refreshes(world)).toBe(0);
  });

  it('drops the rotated tokens of a refresh that was on the wire when a tab signed out', async () => {
    const world = createVaultWorld();
    const a = world.openTab();
    const b = world.openTab();
    const { sessionId } = await world.signIn(a.client);
    world.hold();
    const refresh = rejection(a.client.refresh(sessionId, 0));
    await settle();
    await b.client.signOut();
    await world.release();

    expect((await refresh).code).toBe('login_required');
    expect(a.client.state).toMatchObject({ status: 'signed-out', reason: 'logout' });
    expect(b.client.state).toMatchObject({ status: 'signed-out', reason: 'logout' });
  });
});
