// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { CozeTokenResponse } from '../../src/testing/index';
import { TEST_CLIENT_ID } from '../../src/testing/index';
import { apiRequest, createTestModel, expectOAuthError, expectUnauthorized, refresh, refreshBody, respond, signIn, T0, tokenRequest } from './modelHarness';

const json = async (response: Response) => (await response.json()) as CozeTokenResponse;

describe('token endpoint: refresh_token', () => {
  it('rotates: new access and refresh tokens, with a new expiry', async () => {
    const { model, clock } = createTestModel();
    const first = await signIn(model);
    await clock.advance(60_000);
    const response = await refresh(model, first.refresh_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const second = await json(response);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.expires_in).toBe(Math.floor((T0 + 60_000) / 1000) + 900);
    expect(second.token_type).toBe('Bearer');
    expect((await respond(model, apiRequest('/v1/users/me', second.access_token))).status).toBe(200);
    // The old access token lives out its own lifetime; only the refresh token is spent.
    expect((await respond(model, apiRequest('/v1/users/me', first.access_token))).status).toBe(200);
  });

  it('refuses a spent refresh token and revokes the whole sign-in', async () => {
    const { model } = createTestModel();
    const first = await signIn(model);
    const second = await json(await refresh(model, first.refresh_token));
    const third = await json(await refresh(model, second.refresh_token));

    const reuse = await expectOAuthError(await refresh(model, first.refresh_token), 400, 'invalid_grant');
    expect(reuse.error_message).toMatch(/already been used/);
    // Every token of the family dies, including the newest pair.
    for (const token of [first, second, third]) {
      await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', token.access_token)));
    }
    await expectOAuthError(await refresh(model, third.refresh_token), 400, 'invalid_grant');
  });

  it('leaves other sign-ins alone when one family is revoked', async () => {
    const { model } = createTestModel();
    const alice = await signIn(model);
    const other = await signIn(model);
    await refresh(model, alice.refresh_token);
    await refresh(model, alice.refresh_token);
    expect((await respond(model, apiRequest('/v1/users/me', other.access_token))).status).toBe(200);
    expect((await refresh(model, other.refresh_token)).status).toBe(200);
  });

  it('expires refresh tokens after refreshTokenTtlSeconds; each rotation starts a new lifetime', async () => {
    const { model, clock } = createTestModel({ refreshTokenTtlSeconds: 100 });
    const first = await signIn(model);
    await clock.advance(99_000);
    const second = await json(await refresh(model, first.refresh_token));
    await clock.advance(99_000);
    expect((await refresh(model, second.refresh_token)).status).toBe(200);

    const late = await signIn(model);
    await clock.advance(100_000);
    const body = await expectOAuthError(await refresh(model, late.refresh_token), 400, 'invalid_grant');
    expect(body.error_message).toMatch(/expired/);
  });

  it('refuses a refresh token after revokeSession()', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    expect(model.revokeSession(tokens.access_token)).toBe(true);
    await expectOAuthError(await refresh(model, tokens.refresh_token), 400, 'invalid_grant');
  });

  it('refuses an unknown refresh token, and one sent by another client', async () => {
    const { model } = createTestModel({
      clients: [
        { clientId: TEST_CLIENT_ID, redirectUris: ['https://app.test/callback'] },
        { clientId: 'other-app', redirectUris: ['https://app.test/callback'] },
      ],
    });
    await expectOAuthError(await refresh(model, 'rt_unknown'), 400, 'invalid_grant');
    const tokens = await signIn(model);
    const stolen = tokenRequest(refreshBody(tokens.refresh_token, { client_id: 'other-app' }));
    await expectOAuthError(await respond(model, stolen), 400, 'invalid_grant');
    // The legitimate client can still use it.
    expect((await refresh(model, tokens.refresh_token)).status).toBe(200);
  });

  it('requires client_id and refresh_token, and a registered client', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    await expectOAuthError(await respond(model, tokenRequest({ grant_type: 'refresh_token', client_id: TEST_CLIENT_ID })), 400, 'invalid_request');
    await expectOAuthError(
      await respond(model, tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })),
      400,
      'invalid_request',
    );
    await expectOAuthError(await respond(model, tokenRequest(refreshBody(tokens.refresh_token, { client_id: 'nope' }))), 401, 'invalid_client');
  });
});
