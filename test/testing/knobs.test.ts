// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { NETWORK_ERROR, TEST_API_ORIGIN, TEST_CLIENT_ID, type CozeTokenResponse } from '../../src/testing/index';
import { APP, apiRequest, authorizeCode, callbackParams, createTestModel, exchangeBody, expectOAuthError, expectUnauthorized, pkceAuthorizeUrl, refresh, respond, signIn, T0, TOKEN_URL, tokenRequest, VERIFIER } from './modelHarness';

describe('failNext', () => {
  it('fails token requests with a status, in the OAuth error shape, without spending the code', async () => {
    const { model } = createTestModel();
    const code = await authorizeCode(model);
    model.failNext('token', { status: 503 });
    await expectOAuthError(await respond(model, tokenRequest(exchangeBody(code))), 503, 'server_error');
    expect((await respond(model, tokenRequest(exchangeBody(code)))).status).toBe(200);
    expect(model.counters).toMatchObject({ tokenExchange: 2, tokenErrors: 1 });
  });

  it('drops the connection with "network"', async () => {
    const { model } = createTestModel();
    const code = await authorizeCode(model);
    model.failNext('exchange', 'network');
    expect(await model.handle(tokenRequest(exchangeBody(code)))).toBe(NETWORK_ERROR);
    expect((await respond(model, tokenRequest(exchangeBody(code)))).status).toBe(200);
    expect(model.requestLog.filter((entry) => entry.kind === 'token-exchange').map((entry) => entry.status)).toEqual([0, 200]);
    expect(model.counters.tokenErrors).toBe(1);
  });

  it('targets refresh and exchange separately, `times` times', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    model.failNext('refresh', { status: 500 }, 2);
    // An exchange in between is not affected.
    expect((await respond(model, tokenRequest(exchangeBody(await authorizeCode(model))))).status).toBe(200);
    await expectOAuthError(await refresh(model, tokens.refresh_token), 500, 'server_error');
    await expectOAuthError(await refresh(model, tokens.refresh_token), 500, 'server_error');
    expect((await refresh(model, tokens.refresh_token)).status).toBe(200);
  });

  it('fails protected TEST_API_ORIGIN calls in the OpenAPI error shape, or drops them', async () => {
    const { model } = createTestModel();
    const { access_token: token } = await signIn(model);
    model.failNext('api', { status: 502 });
    model.failNext('api', 'network');
    const failed = await respond(model, apiRequest('/v1/users/me', token));
    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({ code: 5000, msg: expect.any(String), detail: { logid: failed.headers.get('x-tt-logid') } });
    expect(await model.handle(apiRequest('/v1/workspaces', token))).toBe(NETWORK_ERROR);
    expect((await respond(model, apiRequest('/v1/users/me', token))).status).toBe(200);
  });

  it('never fails authorize pages or preflights', async () => {
    const { model } = createTestModel();
    model.failNext('token', { status: 500 });
    const location = await model.approve(await pkceAuthorizeUrl());
    expect(callbackParams(location).code).toBeTruthy();
    const preflight = await respond(model, new Request(TOKEN_URL, { method: 'OPTIONS', headers: { Origin: APP } }));
    expect(preflight.status).toBe(204);
    // Still queued for the next token request.
    expect((await respond(model, tokenRequest({ grant_type: 'password' }))).status).toBe(500);
  });

  it('rejects nonsense arguments', () => {
    const { model } = createTestModel();
    expect(() => model.failNext('api', { status: 200 })).toThrow(RangeError);
    expect(() => model.failNext('api', 'network', 0)).toThrow(RangeError);
    expect(() => model.setLatency(-1)).toThrow(RangeError);
    expect(() => model.setTokenLifetimes({ accessTokenTtlSeconds: 0 })).toThrow(RangeError);
  });
});

describe('failRefreshWith', () => {
  it('answers the next refresh with a 400 OAuth error and leaves the token as it was', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    model.failRefreshWith('invalid_grant');
    await expectOAuthError(await refresh(model, tokens.refresh_token), 400, 'invalid_grant');
    expect((await refresh(model, tokens.refresh_token)).status).toBe(200);
  });
});

describe('latency', () => {
  it('delays every answer by latencyMs, and setLatency changes it', async () => {
    const { model } = createTestModel({ latencyMs: 60 });
    let started = performance.now();
    await model.handle(apiRequest('/v1/users/me'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    model.setLatency(0);
    started = performance.now();
    await model.handle(apiRequest('/v1/users/me'));
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('does not delay URLs it does not serve', async () => {
    const { model } = createTestModel({ latencyMs: 200 });
    const started = performance.now();
    expect(await model.handle(new Request(`${TEST_API_ORIGIN}/v1/bots`))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(150);
  });
});

describe('lifetimes, issueTokens and reset', () => {
  it('setTokenLifetimes applies to tokens issued afterwards', async () => {
    const { model, clock } = createTestModel();
    const before = await signIn(model);
    model.setTokenLifetimes({ accessTokenTtlSeconds: 5 });
    const after = await signIn(model);
    expect(before.expires_in).toBe(Math.floor(T0 / 1000) + 900);
    expect(after.expires_in).toBe(Math.floor(T0 / 1000) + 5);
    await clock.advance(5_000);
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', after.access_token)));
    expect((await respond(model, apiRequest('/v1/users/me', before.access_token))).status).toBe(200);
  });

  it('issueTokens seeds a working session through the same token store', async () => {
    const { model } = createTestModel();
    const tokens: CozeTokenResponse = model.issueTokens({ clientId: TEST_CLIENT_ID });
    expect(tokens.expires_in).toBe(Math.floor(T0 / 1000) + 900);
    expect((await respond(model, apiRequest('/v1/users/me', tokens.access_token))).status).toBe(200);
    expect((await refresh(model, tokens.refresh_token)).status).toBe(200);
    expect(() => model.issueTokens({ clientId: 'nope' })).toThrow(TypeError);
    expect(() => model.issueTokens({ clientId: TEST_CLIENT_ID, userId: 'nobody' })).toThrow(TypeError);
    expect(() => model.issueTokens({ clientId: TEST_CLIENT_ID, workspaceId: 'nowhere' })).toThrow(TypeError);
  });

  it('reset() forgets tokens, codes, failures, counters and knob changes', async () => {
    const { model } = createTestModel({ latencyMs: 0 });
    const tokens = await signIn(model);
    const code = await authorizeCode(model);
    model.failNext('api', { status: 500 });
    model.setLatency(5_000);
    model.setTokenLifetimes({ accessTokenTtlSeconds: 1 });
    model.reset();
    expect(model.counters).toMatchObject({ authorize: 0, tokenExchange: 0 });
    expect(model.requestLog).toEqual([]);
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', tokens.access_token)));
    await expectOAuthError(await respond(model, tokenRequest(exchangeBody(code))), 400, 'invalid_grant');
    const fresh = await signIn(model);
    expect(fresh.expires_in).toBe(Math.floor(T0 / 1000) + 900);
  });
});

describe('observability', () => {
  it('counts each kind of request', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    await refresh(model, tokens.refresh_token);
    await refresh(model, 'rt_unknown');
    await respond(model, apiRequest('/v1/users/me', tokens.access_token));
    await respond(model, apiRequest('/v1/users/me'));
    await respond(model, new Request(TOKEN_URL, { method: 'OPTIONS', headers: { Origin: APP } }));
    expect(model.counters).toEqual({
      authorize: 1,
      decision: 1,
      tokenExchange: 1,
      tokenRefresh: 2,
      tokenErrors: 1,
      api: 2,
      apiUnauthorized: 1,
      chat: 0,
      chatStopped: 0,
      preflight: 1,
    });
  });

  it('gives read-only snapshots', async () => {
    const { model } = createTestModel();
    await signIn(model);
    const counters = model.counters;
    expect(Object.isFrozen(counters)).toBe(true);
    expect(Object.isFrozen(model.requestLog)).toBe(true);
    await signIn(model);
    expect(counters.tokenExchange).toBe(1);
    expect(model.counters.tokenExchange).toBe(2);
  });

  it('logs method, origin, path, kind and status, on the model clock, and never a secret', async () => {
    const { model, clock } = createTestModel();
    const url = await pkceAuthorizeUrl(VERIFIER, 'S256', { state: 'state-secret-value' });
    const { code } = callbackParams(await model.approve(url));
    await clock.advance(1_000);
    const tokens = (await (await respond(model, tokenRequest(exchangeBody(code ?? '')))).json()) as CozeTokenResponse;
    const rotated = (await (await refresh(model, tokens.refresh_token)).json()) as CozeTokenResponse;
    await respond(model, apiRequest('/v1/workspaces?page_num=1', rotated.access_token));
    await respond(model, new Request(`${TOKEN_URL}`, { method: 'OPTIONS', headers: { Origin: APP } }));

    expect(model.requestLog).toEqual([
      { time: T0, method: 'GET', origin: 'web', path: '/api/permission/oauth2/authorize', kind: 'authorize', status: 200 },
      { time: T0, method: 'POST', origin: 'web', path: '/api/permission/oauth2/authorize/decision', kind: 'decision', status: 302 },
      { time: T0 + 1_000, method: 'POST', origin: 'api', path: '/api/permission/oauth2/token', kind: 'token-exchange', status: 200 },
      { time: T0 + 1_000, method: 'POST', origin: 'api', path: '/api/permission/oauth2/token', kind: 'token-refresh', status: 200 },
      { time: T0 + 1_000, method: 'GET', origin: 'api', path: '/v1/workspaces', kind: 'api', status: 200 },
      { time: T0 + 1_000, method: 'OPTIONS', origin: 'api', path: '/api/permission/oauth2/token', kind: 'preflight', status: 204 },
    ]);
    const logged = JSON.stringify(model.requestLog);
    const challenge = callbackParams(url).code_challenge ?? '';
    for (const secret of [code, VERIFIER, challenge, 'state-secret-value', tokens.access_token, tokens.refresh_token, rotated.access_token, rotated.refresh_token]) {
      expect(secret).toBeTruthy();
      expect(logged).not.toContain(secret);
    }
  });

  it('resetCounters() clears counters and log but keeps sessions', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    model.resetCounters();
    expect(model.counters.tokenExchange).toBe(0);
    expect(model.requestLog).toEqual([]);
    expect((await respond(model, apiRequest('/v1/users/me', tokens.access_token))).status).toBe(200);
  });

  it('keeps the log bounded', async () => {
    const { model } = createTestModel();
    for (let i = 0; i < 1_005; i += 1) await model.handle(apiRequest('/v1/users/me'));
    expect(model.requestLog).toHaveLength(1_000);
    expect(model.counters.api).toBe(1_005);
  });

  it('puts a fresh log id on every answer', async () => {
    const { model } = createTestModel();
    const ids = new Set<string | null>();
    for (let i = 0; i < 5; i += 1) ids.add((await respond(model, apiRequest('/v1/users/me'))).headers.get('x-tt-logid'));
    ids.add((await respond(model, new Request(await pkceAuthorizeUrl()))).headers.get('x-tt-logid'));
    expect(ids.size).toBe(6);
    for (const id of ids) expect(id).toMatch(/^20250615\d{6}[0-9A-F]{20}$/);
  });
});
