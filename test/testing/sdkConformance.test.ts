// @vitest-environment node
// Conformance against the OFFICIAL Coze SDK: if @coze/api can sign in, refresh and call the API
// through the fake server, the fake speaks Coze's wire protocol (the SDK uses axios in Node).
import {
  AuthenticationError,
  BadRequestError,
  CozeAPI,
  getPKCEAuthenticationUrl,
  getPKCEOAuthToken,
  refreshOAuthToken,
  type OAuthToken,
  type OpenSpaceData,
  type User,
  type WorkSpace,
} from '@coze/api';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { DEFAULT_COZE_USER, DEFAULT_COZE_WORKSPACES, type CozeUser, type CozeWorkspace } from '../../src/testing/index';
import { startFakeCozeServer, type FakeCozeServer } from '../../src/testing/node';
import { s256CodeChallenge } from '../../src/testing/server/pkce';

const CLIENT_ID = 'sdk-conformance';
const REDIRECT = 'http://127.0.0.1:5173/callback';

let server: FakeCozeServer;
beforeAll(async () => {
  server = await startFakeCozeServer({ autoApprove: true, clients: [{ clientId: CLIENT_ID, redirectUris: [REDIRECT] }] });
});
afterAll(() => server.close());

/**
 * The SDK derives the web host by replacing `https://api` with `https://www` in `baseURL`. That
 * rule does not apply to `http://127.0.0.1:<port>`, so the SDK's URL points at the api origin;
 * move it to the web origin, as an app configured with an explicit web host would.
 */
function onWebOrigin(sdkUrl: string): URL {
  const url = new URL(sdkUrl);
  expect(url.origin).toBe(server.apiOrigin);
  return new URL(`${url.pathname}${url.search}`, server.webOrigin);
}

/** What the browser does with the authorize URL (autoApprove): follow it, land on the callback. */
async function authorize(url: URL): Promise<URLSearchParams> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('Location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  return location.searchParams;
}

async function signInWithSdk(method: 'S256' | 'plain', workspaceId?: string): Promise<OAuthToken> {
  const { url, codeVerifier } = await getPKCEAuthenticationUrl({
    baseURL: server.apiOrigin,
    clientId: CLIENT_ID,
    redirectUrl: REDIRECT,
    state: `state-${method}`,
    code_challenge_method: method,
    ...(workspaceId === undefined ? {} : { workspaceId }),
  });
  const authorizeUrl = onWebOrigin(url);
  if (method === 'plain') {
    // @coze/api 1.3.9 always sends base64url(SHA-256(verifier)), even when it labels the
    // challenge `plain` (see the test below). RFC 7636 §4.2 says plain sends the verifier itself.
    authorizeUrl.searchParams.set('code_challenge', codeVerifier);
  }
  const callback = await authorize(authorizeUrl);
  expect(callback.get('state')).toBe(`state-${method}`);
  return exchangeWithSdk(callback, codeVerifier);
}

/** The SDK's code exchange for the code on `callback`. */
function exchangeWithSdk(callback: URLSearchParams, codeVerifier: string): Promise<OAuthToken> {
  return getPKCEOAuthToken({ baseURL: server.apiOrigin, clientId: CLIENT_ID, redirectUrl: REDIRECT, code: callback.get('code') ?? '', codeVerifier });
}

describe.each(['S256', 'plain'] as const)('@coze/api against the fake server (%s)', (method) => {
  it('signs in, rotates the refresh token and calls users.me() and workspaces.list()', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = await signInWithSdk(method);
    expect(token.access_token).toBeTruthy();
    // An absolute Unix time, the way all Coze SDKs read it.
    expect(token.expires_in).toBeGreaterThanOrEqual(before + 900);
    expect(token.expires_in).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 900);

    const rotated = await refreshOAuthToken({ baseURL: server.apiOrigin, clientId: CLIENT_ID, refreshToken: token.refresh_token });
    expect(rotated.access_token).not.toBe(token.access_token);
    expect(rotated.refresh_token).not.toBe(token.refresh_token);

    // The client takes a token getter, as the library will pass it.
    const client = new CozeAPI({ baseURL: server.apiOrigin, token: () => rotated.access_token });
    const me: User = await client.users.me();
    expect(me).toEqual(DEFAULT_COZE_USER);
    const spaces: OpenSpaceData = await client.workspaces.list({ page_num: 1, page_size: 10 });
    expect(spaces).toEqual({ workspaces: DEFAULT_COZE_WORKSPACES, total_count: 2 });
  });
});

describe('@coze/api error handling against the fake server', () => {
  it('raises AuthenticationError (401, code 4100, logid) for a revoked token', async () => {
    const token = await signInWithSdk('S256');
    const client = new CozeAPI({ baseURL: server.apiOrigin, token: token.access_token });
    expect((await client.users.me()).user_id).toBe(DEFAULT_COZE_USER.user_id);
    expect(server.model.revokeSession(token.access_token)).toBe(true);
    const error = await client.users.me().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 4100, msg: 'authentication is invalid' });
    expect((error as AuthenticationError).logid).toMatch(/^[0-9A-F]{34}$/);
    await expect(client.workspaces.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('raises BadRequestError with Coze\'s OAuth error body for a spent refresh token', async () => {
    const token = await signInWithSdk('S256');
    await refreshOAuthToken({ baseURL: server.apiOrigin, clientId: CLIENT_ID, refreshToken: token.refresh_token });
    const error = await refreshOAuthToken({ baseURL: server.apiOrigin, clientId: CLIENT_ID, refreshToken: token.refresh_token }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).rawError).toMatchObject({ error_code: 'invalid_grant', error: 'invalid_grant' });
    expect((error as BadRequestError).logid).toMatch(/^[0-9A-F]{34}$/);
  });

  it('scopes a workspace sign-in (getPKCEAuthenticationUrl workspaceId)', async () => {
    const team = DEFAULT_COZE_WORKSPACES[1];
    const token = await signInWithSdk('S256', team?.id);
    const spaces = await new CozeAPI({ baseURL: server.apiOrigin, token: token.access_token }).workspaces.list();
    expect(spaces.workspaces.map((workspace) => workspace.id)).toEqual([team?.id]);
  });

  it('documents an SDK quirk: its "plain" challenge is really S256, which a strict server refuses', async () => {
    const { url, codeVerifier } = await getPKCEAuthenticationUrl({
      baseURL: server.apiOrigin,
      clientId: CLIENT_ID,
      redirectUrl: REDIRECT,
      state: 'quirk',
      code_challenge_method: 'plain',
    });
    const authorizeUrl = onWebOrigin(url);
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('plain');
    expect(authorizeUrl.searchParams.get('code_challenge')).toBe(await s256CodeChallenge(codeVerifier));
    const callback = await authorize(authorizeUrl);
    const exchange = exchangeWithSdk(callback, codeVerifier);
    await expect(exchange).rejects.toMatchObject({ status: 400, rawError: { error_code: 'invalid_grant' } });
  });

  it('declares the same user and workspace shapes as the SDK', () => {
    expectTypeOf<CozeUser>().toEqualTypeOf<User>();
    expectTypeOf<CozeWorkspace>().toEqualTypeOf<WorkSpace>();
  });
});
