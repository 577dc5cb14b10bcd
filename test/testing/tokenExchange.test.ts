// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { CozeTokenResponse } from '../../src/testing/index';
import { s256CodeChallenge } from '../../src/testing/server/pkce';
import { TEST_CLIENT_ID } from '../../src/testing/index';
import { apiRequest, authorizeCode, authorizeUrl, callbackParams, createTestModel, exchangeBody, expectOAuthError, expectUnauthorized, refresh, REDIRECT, respond, T0, TOKEN_URL, tokenRequest, VERIFIER } from './modelHarness';

describe('token endpoint: the request format', () => {
  it('answers a valid exchange with Coze\'s token body; expires_in is an absolute Unix time', async () => {
    const { model } = createTestModel();
    const code = await authorizeCode(model);
    const response = await respond(model, tokenRequest(exchangeBody(code)));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('x-tt-logid')).toMatch(/^[0-9A-F]{34}$/);
    const body = (await response.json()) as CozeTokenResponse;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^at_/),
      refresh_token: expect.stringMatching(/^rt_/),
      expires_in: Math.floor(T0 / 1000) + 900,
      token_type: 'Bearer',
    });
  });

  /** A code exchange with only a Content-Type header (no Authorization) and a body as given. */
  const bareExchange = (contentType: string, body: string) =>
    new Request(TOKEN_URL, { method: 'POST', headers: { 'Content-Type': contentType }, body });

  it('accepts a charset on the JSON content type, and no Authorization header at all', async () => {
    const { model } = createTestModel();
    const code = await authorizeCode(model);
    const request = bareExchange('application/json; charset=utf-8', JSON.stringify(exchangeBody(code)));
    expect((await respond(model, request)).status).toBe(200);
  });

  it('rejects a form-urlencoded body', async () => {
    const { model } = createTestModel();
    const code = await authorizeCode(model);
    const request = bareExchange('application/x-www-form-urlencoded', new URLSearchParams(exchangeBody(code)).toString());
    await expectOAuthError(await respond(model, request), 400, 'invalid_request');
    // The form did not spend the code.
    expect((await respond(model, tokenRequest(exchangeBody(code)))).status).toBe(200);
  });

  it.each([
    ['malformed JSON', '{"grant_type":'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a missing grant_type', JSON.stringify({ client_id: TEST_CLIENT_ID })],
  ])('rejects %s with invalid_request', async (_, body) => {
    const { model } = createTestModel();
    await expectOAuthError(await respond(model, tokenRequest(body)), 400, 'invalid_request');
    expect(model.counters.tokenErrors).toBe(1);
  });

  it.each(['password', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code'])(
    'rejects grant_type=%s with unsupported_grant_type',
    async (grantType) => {
      const { model } = createTestModel();
      await expectOAuthError(await respond(model, tokenRequest({ grant_type: grantType, client_id: TEST_CLIENT_ID })), 400, 'unsupported_grant_type');
    },
  );

  it('answers only POST', async () => {
    const { model } = createTestModel();
    const response = await respond(model, new Request(TOKEN_URL));
    expect(response.status).toBe(405);
  });
});

describe('token endpoint: authorization_code', () => {
  it('rejects an unknown client with invalid_client (401)', async () => {
    const { model } = createTestModel();
    const code = await authorizeCode(model);
    await expectOAuthError(await respond(model, tokenRequest(exchangeBody(code, VERIFIER, { client_id: 'nope' }))), 401, 'invalid_client');
  });

  it.each(['client_id', 'redirect_uri', 'code', 'code_verifier'])('requires %s', async (field) => {
    const { model } = createTestModel();
    const code = await authorizeCode(model);
    const body: Record<string, unknown> = exchangeBody(code);
    delete body[field];
    await expectOAuthError(await respond(model, tokenRequest(body)), 400, 'invalid_request');
  });

  it('rejects a malformed code_verifier (RFC 7636 §4.1) with invalid_request', async () => {
    const { model } = createTestModel();
    const code = await authorizeCode(model);
    await expectOAuthError(await respond(model, tokenRequest(exchangeBody(code, 'short'))), 400, 'invalid_request');
    await expectOAuthError(await respond(model, tokenRequest(exchangeBody(code, `${VERIFIER}!`))), 400, 'invalid_request');
  });

  it('rejects an unknown code', async () => {
    const { model } = createTestModel();
    await expectOAuthError(await respond(model, tokenRequest(exchangeBody('code_unknown'))), 400, 'invalid_grant');
  });

  it('rejects a redirect_uri other than the authorize request\'s', async () => {
    const { model } = createTestModel({
      clients: [{ clientId: TEST_CLIENT_ID, redirectUris: [REDIRECT, 'https://app.test/other'] }],
    });
    const code = await authorizeCode(model);
    const body = exchangeBody(code, VERIFIER, { redirect_uri: 'https://app.test/other' });
    await expectOAuthError(await respond(model, tokenRequest(body)), 400, 'invalid_grant');
  });

  it('rejects a code issued to another client', async () => {
    const { model } = createTestModel({
      clients: [
        { clientId: TEST_CLIENT_ID, redirectUris: [REDIRECT] },
        { clientId: 'other-app', redirectUris: [REDIRECT] },
      ],
    });
    const code = await authorizeCode(model);
    const body = exchangeBody(code, VERIFIER, { client_id: 'other-app' });
    await expectOAuthError(await respond(model, tokenRequest(body)), 400, 'invalid_grant');
  });

  it.each(['S256', 'plain'] as const)('accepts the right verifier and rejects a wrong one (%s)', async (method) => {
    const { model } = createTestModel();
    const good = await authorizeCode(model, VERIFIER, method);
    expect((await respond(model, tokenRequest(exchangeBody(good, VERIFIER)))).status).toBe(200);
    const bad = await authorizeCode(model, VERIFIER, method);
    const wrong = `${VERIFIER.slice(0, -1)}X`;
    await expectOAuthError(await respond(model, tokenRequest(exchangeBody(bad, wrong))), 400, 'invalid_grant');
    // The failed attempt burned the code: no guessing the verifier over several tries.
    await expectOAuthError(await respond(model, tokenRequest(exchangeBody(bad, VERIFIER))), 400, 'invalid_grant');
  });

  it('does not accept the S256 challenge itself as a verifier', async () => {
    const { model } = createTestModel();
    const code = await authorizeCode(model, VERIFIER, 'S256');
    const body = exchangeBody(code, await s256CodeChallenge(VERIFIER));
    await expectOAuthError(await respond(model, tokenRequest(body)), 400, 'invalid_grant');
  });

  it('treats an absent code_challenge_method as plain (RFC 7636 §4.3)', async () => {
    const { model } = createTestModel();
    const url = authorizeUrl({ code_challenge: VERIFIER, code_challenge_method: null });
    const code = callbackParams(await model.approve(url)).code ?? '';
    expect((await respond(model, tokenRequest(exchangeBody(code, VERIFIER)))).status).toBe(200);
  });

  it('expires codes after codeTtlSeconds by the model clock', async () => {
    const { model, clock } = createTestModel({ codeTtlSeconds: 60 });
    const fresh = await authorizeCode(model);
    await clock.advance(59_999);
    expect((await respond(model, tokenRequest(exchangeBody(fresh)))).status).toBe(200);
    const stale = await authorizeCode(model);
    await clock.advance(60_000);
    const body = await expectOAuthError(await respond(model, tokenRequest(exchangeBody(stale))), 400, 'invalid_grant');
    expect(body.error_message).toMatch(/expired/);
  });

  it('rejects a replayed code and revokes the tokens it bought (RFC 6749 §4.1.2)', async () => {
    const { model } = createTestModel();
    const code = await authorizeCode(model);
    const first = (await (await respond(model, tokenRequest(exchangeBody(code)))).json()) as CozeTokenResponse;
    expect((await respond(model, apiRequest('/v1/users/me', first.access_token))).status).toBe(200);

    const replay = await expectOAuthError(await respond(model, tokenRequest(exchangeBody(code))), 400, 'invalid_grant');
    expect(replay.error_message).toMatch(/already been used/);
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', first.access_token)));
    await expectOAuthError(await refresh(model, first.refresh_token), 400, 'invalid_grant');
  });

  it('gives two concurrent exchanges of one code one success, then revokes it (StrictMode double effect)', async () => {
    const { model } = createTestModel();
    const code = await authorizeCode(model);
    const responses = await Promise.all([
      respond(model, tokenRequest(exchangeBody(code))),
      respond(model, tokenRequest(exchangeBody(code))),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
    const winner = responses.find((response) => response.status === 200);
    const tokens = (await winner?.json()) as CozeTokenResponse;
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', tokens.access_token)));
  });
});
