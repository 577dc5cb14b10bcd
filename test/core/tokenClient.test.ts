import { describe, expect, it, vi } from 'vitest';
import { authorizationCodeGrantRequest, refreshTokenGrantRequest, type FetchLike } from '../../src/core/protocol/tokenClient';
import { parseTokenBody } from '../../src/core/protocol/tokenResponse';
import { rejection } from '../helpers/harness';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const endpoint = 'https://api.coze.example/api/permission/oauth2/token';

function respond(status: number, body: unknown, headers: Record<string, string> = {}): FetchLike {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return vi.fn(async () => new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } }));
}

function ctx(fetch: FetchLike) {
  return { tokenEndpoint: endpoint, clientId: 'client-1', fetch };
}


const grant = { code: 'CODE-SECRET', codeVerifier: 'VERIFIER-SECRET', redirectUri: 'https://app.example/cb' };

describe('authorizationCodeGrantRequest', () => {
  it('POSTs exactly the JSON fields of the Coze protocol', async () => {
    const fetch = respond(200, { access_token: 'at', refresh_token: 'rt', expires_in: NOW / 1000 + 900, token_type: 'Bearer' });
    const tokens = await authorizationCodeGrantRequest(ctx(fetch), grant);
    expect(tokens).toEqual({ accessToken: 'at', refreshToken: 'rt', cozeExpiresAt: NOW + 900_000, lifetimeMs: undefined, tokenType: 'Bearer', receivedAt: expect.any(Number) });
    const [url, init] = vi.mocked(fetch).mock.calls[0]!;
    expect(url).toBe(endpoint);
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(init.body as string)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client-1',
      redirect_uri: 'https://app.example/cb',
      code: 'CODE-SECRET',
      code_verifier: 'VERIFIER-SECRET',
    });
  });

  it('turns a 4xx OAuth error into invalid_grant with the logid, without secrets', async () => {
    const fetch = respond(
      400,
      { error_code: 'invalid_grant', error_message: 'code CODE-SECRET is expired' },
      { 'x-tt-logid': 'log-123' },
    );
    const error = await rejection(authorizationCodeGrantRequest(ctx(fetch), grant));
    expect(error.code).toBe('invalid_grant');
    expect(error.oauthError).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.logid).toBe('log-123');
    expect(error.isTransient).toBe(false);
    expect(error.message).not.toContain('CODE-SECRET');
    expect(error.message).not.toContain('VERIFIER-SECRET');
  });

  it('treats 5xx and 429 as transient server_error', async () => {
    expect((await rejection(authorizationCodeGrantRequest(ctx(respond(503, 'down')), grant))).code).toBe('server_error');
    const limited = await rejection(authorizationCodeGrantRequest(ctx(respond(429, { error_code: 'slow_down' })), grant));
    expect(limited.code).toBe('server_error');
    expect(limited.isTransient).toBe(true);
  });

  it('treats a thrown fetch as a transient network_error', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const error = await rejection(authorizationCodeGrantRequest(ctx(fetch), grant));
    expect(error.code).toBe('network_error');
    expect(error.isTransient).toBe(true);
  });

  it.each([
    ['a non-JSON body', 200, '<html>proxy</html>'],
    ['a JSON array', 200, []],
    ['no access_token', 200, { expires_in: NOW / 1000 + 900 }],
    ['a numeric refresh_token', 200, { access_token: 'at', expires_in: 900, refresh_token: 42 }],
    ['a MAC token_type', 200, { access_token: 'at', expires_in: 900, token_type: 'mac' }],
    ['a 4xx without an OAuth body', 404, '<html>not found</html>'],
  ])('rejects %s with invalid_token_response', async (_what, status, body) => {
    const error = await rejection(authorizationCodeGrantRequest(ctx(respond(status, body)), grant));
    expect(error.code).toBe('invalid_token_response');
  });

  it('rejects a 200 carrying an OpenAPI error code', async () => {
    const error = await rejection(authorizationCodeGrantRequest(ctx(respond(200, { code: 4100, msg: 'bad' })), grant));
    expect(error.code).toBe('invalid_grant');
    expect(error.oauthError).toBe('4100');
  });
});

describe('refreshTokenGrantRequest', () => {
  it('POSTs grant_type, client_id and refresh_token only', async () => {
    const fetch = respond(200, { access_token: 'at2', refresh_token: 'rt2', expires_in: NOW / 1000 + 900 });
    const tokens = await refreshTokenGrantRequest(ctx(fetch), 'RT-SECRET');
    expect(tokens.refreshToken).toBe('rt2');
    expect(tokens.tokenType).toBe('Bearer');
    const body = JSON.parse(vi.mocked(fetch).mock.calls[0]![1].body as string);
    expect(body).toEqual({ grant_type: 'refresh_token', client_id: 'client-1', refresh_token: 'RT-SECRET' });
  });

  it('accepts a response without refresh_token (no silent refresh later)', async () => {
    const tokens = await refreshTokenGrantRequest(ctx(respond(200, { access_token: 'at', expires_in: NOW / 1000 + 60 })), 'rt');
    expect(tokens.refreshToken).toBeUndefined();
  });

  it('redacts the refresh token from a rejection', async () => {
    const error = await rejection(
      refreshTokenGrantRequest(ctx(respond(401, { error: 'invalid_grant', error_message: 'RT-SECRET revoked' })), 'RT-SECRET'),
    );
    expect(error.message).not.toContain('RT-SECRET');
    expect(error.message).toContain('[redacted]');
  });
});

describe('expires_in', () => {
  it('is an absolute Unix timestamp on Coze’s clock, kept as Coze stated it', () => {
    expect(parseTokenBody({ access_token: 'a', expires_in: 1_767_225_600 })).toMatchObject({
      cozeExpiresAt: 1_767_225_600_000,
      lifetimeMs: undefined,
    });
  });
  it('is read as a lifetime when far below any current epoch', () => {
    expect(parseTokenBody({ access_token: 'a', expires_in: 900 })).toMatchObject({ cozeExpiresAt: undefined, lifetimeMs: 900_000 });
  });
  it('accepts a numeric string', () => {
    expect(parseTokenBody({ access_token: 'a', expires_in: '900' }).lifetimeMs).toBe(900_000);
  });
  it('missing or unusable, it does not throw away the tokens (a rotated refresh token is already spent)', () => {
    for (const expires_in of [undefined, null, 'soon', -5, 0]) {
      expect(parseTokenBody({ access_token: 'a', refresh_token: 'r2', expires_in })).toMatchObject({
        refreshToken: 'r2',
        cozeExpiresAt: undefined,
        lifetimeMs: undefined,
      });
    }
  });
});
