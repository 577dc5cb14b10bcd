import { expect } from 'vitest';
import {
  createTestClock,
  createTestCozeModel,
  NETWORK_ERROR,
  TEST_API_ORIGIN,
  TEST_CLIENT_ID,
  TEST_WEB_ORIGIN,
  type CozeModel,
  type CozeModelOptions,
  type CozeTokenResponse,
} from '../../src/testing/index';
import { s256CodeChallenge, type PkceMethod } from '../../src/testing/server/pkce';

// Protocol-level helpers for the model's own tests: raw requests to the kit's fake Coze
// (`createTestCozeModel`, its origins and client id), without a session in between.

export const APP = 'https://app.test';
export const REDIRECT = `${APP}/callback`;
export const TOKEN_URL = `${TEST_API_ORIGIN}/api/permission/oauth2/token`;
export const AUTHORIZE_URL = `${TEST_WEB_ORIGIN}/api/permission/oauth2/authorize`;
export const DECISION_URL = `${TEST_WEB_ORIGIN}/api/permission/oauth2/authorize/decision`;
/** An arbitrary fixed start for the model clock (ms). */
export const T0 = 1_750_000_000_000;

/** A model on the kit's test clock: time moves only through `clock.advance`. */
export function createTestModel(overrides: Partial<CozeModelOptions> = {}) {
  const clock = createTestClock(T0);
  const model = createTestCozeModel({ redirectUri: REDIRECT, now: clock.now, ...overrides });
  return { model, clock };
}

/** `model.handle`, asserting that the model answered with a real response. */
export async function respond(model: CozeModel, request: Request): Promise<Response> {
  const outcome = await model.handle(request);
  if (outcome === undefined || outcome === NETWORK_ERROR) throw new Error(`no response for ${request.url}`);
  return outcome;
}

export const VERIFIER = 'verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG';

export async function challengeFor(verifier: string, method: PkceMethod): Promise<string> {
  return method === 'S256' ? s256CodeChallenge(verifier) : verifier;
}

/** An authorize URL; `params` override the valid defaults, `null` removes one. */
export function authorizeUrl(params: Record<string, string | null> = {}, workspaceId?: string): string {
  const url = new URL(
    workspaceId === undefined ? AUTHORIZE_URL : `${TEST_WEB_ORIGIN}/api/permission/oauth2/workspace_id/${workspaceId}/authorize`,
  );
  const all: Record<string, string | null> = {
    response_type: 'code',
    client_id: TEST_CLIENT_ID,
    redirect_uri: REDIRECT,
    state: 'state-123',
    code_challenge_method: 'S256',
    ...params,
  };
  for (const [name, value] of Object.entries(all)) if (value !== null) url.searchParams.set(name, value);
  return url.href;
}

/** A valid authorize URL for `verifier`. */
export async function pkceAuthorizeUrl(
  verifier = VERIFIER,
  method: PkceMethod = 'S256',
  extra: Record<string, string | null> = {},
  workspaceId?: string,
): Promise<string> {
  return authorizeUrl(
    { code_challenge: await challengeFor(verifier, method), code_challenge_method: method, ...extra },
    workspaceId,
  );
}

/** The query of a callback URL as an object. */
export function callbackParams(location: string): Record<string, string> {
  const url = new URL(location);
  return Object.fromEntries(url.searchParams);
}

/** Runs authorize + approve and returns the code. */
export async function authorizeCode(model: CozeModel, verifier = VERIFIER, method: PkceMethod = 'S256'): Promise<string> {
  const callback = callbackParams(await model.approve(await pkceAuthorizeUrl(verifier, method)));
  expect(callback.code).toBeTruthy();
  return callback.code ?? '';
}

/** A JSON POST to the token endpoint, with the headers the Coze SDK adds. */
export function tokenRequest(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(TOKEN_URL, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: 'Bearer ',
      'X-Coze-Client-User-Agent': '{"version":"1.3.9","lang":"js"}',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function exchangeBody(code: string, verifier = VERIFIER, extra: Record<string, unknown> = {}) {
  return { grant_type: 'authorization_code', client_id: TEST_CLIENT_ID, redirect_uri: REDIRECT, code, code_verifier: verifier, ...extra };
}

export function refreshBody(refreshToken: string, extra: Record<string, unknown> = {}) {
  return { grant_type: 'refresh_token', client_id: TEST_CLIENT_ID, refresh_token: refreshToken, ...extra };
}

/** A full sign-in over the model's HTTP paths; returns the token response. */
export async function signIn(model: CozeModel, verifier = VERIFIER, method: PkceMethod = 'S256'): Promise<CozeTokenResponse> {
  const code = await authorizeCode(model, verifier, method);
  const response = await respond(model, tokenRequest(exchangeBody(code, verifier)));
  expect(response.status).toBe(200);
  return (await response.json()) as CozeTokenResponse;
}

export async function refresh(model: CozeModel, refreshToken: string): Promise<Response> {
  return respond(model, tokenRequest(refreshBody(refreshToken)));
}

export function apiRequest(path: string, token?: string, headers: Record<string, string> = {}): Request {
  return new Request(`${TEST_API_ORIGIN}${path}`, {
    headers: { ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }), ...headers },
  });
}

/** Asserts Coze's token endpoint error shape and returns the parsed body. */
export async function expectOAuthError(response: Response, status: number, errorCode: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('x-tt-logid')).toMatch(/^[0-9A-F]{34}$/);
  const body = (await response.json()) as { error_code: string; error_message: string; error: string };
  expect(body).toEqual({ error_code: errorCode, error_message: expect.any(String), error: errorCode });
  expect(body.error_message.length).toBeGreaterThan(0);
  return body;
}

/** Asserts Coze's OpenAPI 401 shape, with the log id in both body and header. */
export async function expectUnauthorized(response: Response) {
  expect(response.status).toBe(401);
  const logid = response.headers.get('x-tt-logid');
  expect(logid).toMatch(/^[0-9A-F]{34}$/);
  expect(await response.json()).toEqual({ code: 4100, msg: 'authentication is invalid', detail: { logid } });
}

/** The request id carried by a consent page's form. */
export function pendingIdFrom(html: string): string {
  const match = /name="request_id" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no request_id in the consent page');
  return match[1];
}

/** Submits the consent form, as the browser would. */
export function decisionRequest(requestId: string, decision: 'approve' | 'deny'): Request {
  return new Request(DECISION_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_WEB_ORIGIN },
    body: new URLSearchParams({ request_id: requestId, decision }).toString(),
  });
}
