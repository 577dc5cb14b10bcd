// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { TEST_CLIENT_ID } from '../../src/testing/index';
import { apiRequest, APP, AUTHORIZE_URL, createTestModel, REDIRECT, respond, signIn, TOKEN_URL } from './modelHarness';

function preflight(url: string, origin: string, requestHeaders?: string): Request {
  return new Request(url, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      ...(requestHeaders === undefined ? {} : { 'Access-Control-Request-Headers': requestHeaders }),
    },
  });
}

describe('CORS preflight', () => {
  it('allows a registered app origin on the token endpoint, echoing the headers the SDK sends', async () => {
    const { model } = createTestModel();
    const response = await respond(model, preflight(TOKEN_URL, APP, 'authorization,content-type,x-coze-client-user-agent'));
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, x-coze-client-user-agent',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    expect(response.headers.get('x-tt-logid')).toMatch(/^[0-9A-F]{34}$/);
    expect(model.counters.preflight).toBe(1);
    expect(model.counters.tokenExchange).toBe(0);
  });

  it('echoes only the allowed request headers, case-insensitively', async () => {
    const { model } = createTestModel();
    const response = await respond(model, preflight(`${TOKEN_URL}`, APP, 'Authorization, X-Evil, Content-TYPE'));
    expect(response.headers.get('Access-Control-Allow-Headers')).toBe('Authorization, Content-TYPE');
  });

  it('lists all allowed headers when none are requested', async () => {
    const { model } = createTestModel();
    const response = await respond(model, preflight(TOKEN_URL, APP));
    expect(response.headers.get('Access-Control-Allow-Headers')).toBe('Authorization, Content-Type, X-Coze-Client-User-Agent');
  });

  it('gives an unknown origin no CORS headers at all', async () => {
    const { model } = createTestModel();
    const response = await respond(model, preflight(TOKEN_URL, 'https://evil.test', 'authorization'));
    expect(response.status).toBe(204);
    const corsHeaders = [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));
    expect(corsHeaders).toEqual([]);
    expect(response.headers.get('Vary')).toBe('Origin');
  });

  it('answers preflights on the protected endpoints and the web origin too', async () => {
    const { model } = createTestModel();
    for (const url of [apiRequest('/v1/users/me').url, apiRequest('/v1/workspaces').url, AUTHORIZE_URL]) {
      const response = await respond(model, preflight(url, APP, 'authorization'));
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe(APP);
    }
  });

  it('uses allowedOrigins instead of the redirect URIs\' origins when given', async () => {
    const { model } = createTestModel({
      clients: [{ clientId: TEST_CLIENT_ID, redirectUris: [REDIRECT], allowedOrigins: ['https://other.test'] }],
    });
    expect((await respond(model, preflight(TOKEN_URL, APP))).headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect((await respond(model, preflight(TOKEN_URL, 'https://other.test'))).headers.get('Access-Control-Allow-Origin')).toBe(
      'https://other.test',
    );
  });
});

describe('CORS on actual responses', () => {
  it('lets an allowed origin read the body and the log id', async () => {
    const { model } = createTestModel();
    const { access_token: token } = await signIn(model);
    const ok = await respond(model, apiRequest('/v1/users/me', token, { Origin: APP }));
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe(APP);
    expect(ok.headers.get('Access-Control-Expose-Headers')).toBe('x-tt-logid');
    expect(ok.headers.get('Vary')).toBe('Origin');
    // Errors too: the app must be able to read a 401 to know it should sign in again.
    const denied = await respond(model, apiRequest('/v1/users/me', 'at_unknown', { Origin: APP }));
    expect(denied.status).toBe(401);
    expect(denied.headers.get('Access-Control-Allow-Origin')).toBe(APP);
  });

  it('gives an unknown origin nothing', async () => {
    const { model } = createTestModel();
    const { access_token: token } = await signIn(model);
    const response = await respond(model, apiRequest('/v1/users/me', token, { Origin: 'https://evil.test' }));
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(response.headers.get('Access-Control-Expose-Headers')).toBeNull();
  });
});
