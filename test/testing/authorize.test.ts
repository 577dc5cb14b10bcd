// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { DEFAULT_COZE_WORKSPACES, TEST_CLIENT_ID, TEST_WEB_ORIGIN } from '../../src/testing/index';
import { APP, authorizeUrl, callbackParams, createTestModel, DECISION_URL, decisionRequest, pendingIdFrom, pkceAuthorizeUrl, REDIRECT, respond, signIn, apiRequest, VERIFIER, tokenRequest, exchangeBody } from './modelHarness';

const get = (url: string) => new Request(url);

describe('authorize: requests Coze refuses with an error page (never a redirect)', () => {
  it.each([
    ['an unknown client_id', { client_id: 'nope' }],
    ['a missing client_id', { client_id: null }],
    ['a redirect_uri that is not registered', { redirect_uri: 'https://evil.test/callback' }],
    ['a redirect_uri with a trailing slash', { redirect_uri: `${REDIRECT}/` }],
    ['a redirect_uri with another port', { redirect_uri: 'https://app.test:8443/callback' }],
    ['a missing redirect_uri', { redirect_uri: null }],
  ])('%s', async (_, params) => {
    const { model } = createTestModel();
    const response = await respond(model, get(authorizeUrl({ code_challenge: 'x'.repeat(43), ...params })));
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('role="alert"');
    await expect(model.approve(authorizeUrl({ code_challenge: 'x'.repeat(43), ...params }))).rejects.toThrow(/error page/);
  });
});

describe('authorize: invalid requests go back to the app as OAuth errors, with the state', () => {
  it.each([
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['a missing code_challenge', { code_challenge: null }, 'invalid_request'],
    ['code_challenge_method=S512', { code_challenge_method: 'S512' }, 'invalid_request'],
    ['an empty code_challenge_method', { code_challenge_method: '' }, 'invalid_request'],
    ['a malformed S256 challenge', { code_challenge: 'too-short' }, 'invalid_request'],
  ])('%s', async (_, params, error) => {
    const { model } = createTestModel();
    const url = await pkceAuthorizeUrl(VERIFIER, 'S256', params);
    const response = await respond(model, get(url));
    expect(response.status).toBe(302);
    const location = response.headers.get('Location') ?? '';
    expect(location.startsWith(`${REDIRECT}?`)).toBe(true);
    const callback = callbackParams(location);
    expect(callback).toEqual({ error, error_description: expect.any(String), state: 'state-123' });
    expect(callback.code).toBeUndefined();
    // approve() reaches the same verdict.
    expect(callbackParams(await model.approve(url))).toEqual(callback);
  });

  it('sends state= back even when the app sent none', async () => {
    const { model } = createTestModel();
    const location = await model.approve(authorizeUrl({ state: null }));
    expect(location).toContain('state=');
    expect(callbackParams(location).state).toBe('');
  });

  it('refuses a workspace the user is not a member of', async () => {
    const { model } = createTestModel();
    const callback = callbackParams(await model.approve(await pkceAuthorizeUrl(VERIFIER, 'S256', {}, '999')));
    expect(callback.error).toBe('invalid_request');
  });
});

describe('authorize: the consent page', () => {
  it('shows the app, the user and two labelled buttons, and carries only a request id', async () => {
    const { model } = createTestModel();
    const url = await pkceAuthorizeUrl();
    const response = await respond(model, get(url));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<!doctype html>');
    expect(html).toContain('<style>');
    expect(html).toContain('Authorize Test app');
    expect(html).toContain('Coze Tester');
    expect(html).toContain(`action="${DECISION_URL}"`);
    expect(html).toMatch(/<button type="submit" name="decision" value="approve" aria-label="Authorize Test app">/);
    expect(html).toMatch(/<button type="submit" name="decision" value="deny" aria-label="[^"]+">Cancel/);
    expect(html).toContain(`You will be sent back to ${APP}`);
    // The OAuth parameters stay on the server: the form cannot be edited to change them.
    const { code_challenge: challenge } = callbackParams(url);
    expect(html).not.toContain(challenge);
    expect(html).not.toContain('state-123');
    expect(html).not.toContain('name="redirect_uri"');
    expect(pendingIdFrom(html)).toMatch(/^req_/);
  });

  it('names the workspace on a workspace-scoped request', async () => {
    const { model } = createTestModel();
    const team = DEFAULT_COZE_WORKSPACES[1];
    const url = await pkceAuthorizeUrl(VERIFIER, 'S256', {}, team?.id);
    const html = await (await respond(model, get(url))).text();
    expect(html).toContain('Team Space');
  });

  it('escapes what it shows', async () => {
    const { model } = createTestModel({
      clients: [{ clientId: TEST_CLIENT_ID, name: '<script>alert(1)</script>', redirectUris: [REDIRECT] }],
    });
    const html = await (await respond(model, get(await pkceAuthorizeUrl()))).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it.each([
    { button: 'Authorize', decision: 'approve', outcome: 'a code', callback: { code: expect.stringMatching(/^code_/), state: 'state-123' } },
    { button: 'Cancel', decision: 'deny', outcome: 'access_denied', callback: { error: 'access_denied', error_description: expect.any(String), state: 'state-123' } },
  ] as const)('"$button" redirects with $outcome and the state', async ({ decision, callback }) => {
    const { model } = createTestModel();
    const html = await (await respond(model, get(await pkceAuthorizeUrl()))).text();
    const response = await respond(model, decisionRequest(pendingIdFrom(html), decision));
    expect(response.status).toBe(302);
    expect(callbackParams(response.headers.get('Location') ?? '')).toEqual(callback);
  });

  it('takes one decision per request, and none for an unknown or expired one', async () => {
    const { model, clock } = createTestModel();
    const pendingId = pendingIdFrom(await (await respond(model, get(await pkceAuthorizeUrl()))).text());
    expect((await respond(model, decisionRequest(pendingId, 'approve'))).status).toBe(302);
    const again = await respond(model, decisionRequest(pendingId, 'approve'));
    expect(again.status).toBe(400);
    expect(again.headers.get('Location')).toBeNull();
    expect((await respond(model, decisionRequest('req_unknown', 'approve'))).status).toBe(400);

    const stale = pendingIdFrom(await (await respond(model, get(await pkceAuthorizeUrl()))).text());
    await clock.advance(11 * 60 * 1000);
    expect((await respond(model, decisionRequest(stale, 'approve'))).status).toBe(400);
  });

  it('refuses a form without a valid decision', async () => {
    const { model } = createTestModel();
    const pendingId = pendingIdFrom(await (await respond(model, get(await pkceAuthorizeUrl()))).text());
    const response = await respond(
      model,
      new Request(DECISION_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `request_id=${pendingId}&decision=maybe`,
      }),
    );
    expect(response.status).toBe(400);
  });

  it('keeps a query the registered redirect URI already has', async () => {
    const redirect = `${APP}/callback?tenant=a`;
    const { model } = createTestModel({ clients: [{ clientId: TEST_CLIENT_ID, redirectUris: [redirect] }] });
    const location = await model.approve(await pkceAuthorizeUrl(VERIFIER, 'S256', { redirect_uri: redirect }));
    expect(callbackParams(location)).toEqual({ tenant: 'a', code: expect.any(String), state: 'state-123' });
  });
});

describe('authorize: autoApprove and the programmatic helpers', () => {
  it('autoApprove redirects with a code at once', async () => {
    const { model } = createTestModel({ autoApprove: true });
    const response = await respond(model, get(await pkceAuthorizeUrl()));
    expect(response.status).toBe(302);
    expect(callbackParams(response.headers.get('Location') ?? '')).toEqual({ code: expect.any(String), state: 'state-123' });
  });

  it('approve() gives a code that the token endpoint accepts', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    expect(tokens.token_type).toBe('Bearer');
  });

  it('deny() gives access_denied, even with autoApprove', async () => {
    const { model } = createTestModel({ autoApprove: true });
    const callback = callbackParams(await model.deny(await pkceAuthorizeUrl()));
    expect(callback).toEqual({ error: 'access_denied', error_description: expect.any(String), state: 'state-123' });
  });

  it('approve() refuses a URL that is not an authorize URL of the model', async () => {
    const { model } = createTestModel();
    await expect(model.approve('https://elsewhere.test/api/permission/oauth2/authorize')).rejects.toThrow(TypeError);
    await expect(model.approve(`${TEST_WEB_ORIGIN}/somewhere`)).rejects.toThrow(TypeError);
  });

  it('approve() and the HTTP flow count the same steps', async () => {
    const { model } = createTestModel();
    await model.approve(await pkceAuthorizeUrl());
    const viaHelper = model.requestLog.map(({ method, origin, path, kind, status }) => ({ method, origin, path, kind, status }));
    model.resetCounters();
    const html = await (await respond(model, get(await pkceAuthorizeUrl()))).text();
    await respond(model, decisionRequest(pendingIdFrom(html), 'approve'));
    const viaHttp = model.requestLog.map(({ method, origin, path, kind, status }) => ({ method, origin, path, kind, status }));
    expect(viaHelper).toEqual(viaHttp);
    expect(model.counters).toMatchObject({ authorize: 1, decision: 1 });
  });

  it('binds the code to the workspace: its token lists only that workspace', async () => {
    const { model } = createTestModel();
    const team = DEFAULT_COZE_WORKSPACES[1];
    const location = await model.approve(await pkceAuthorizeUrl(VERIFIER, 'S256', {}, team?.id));
    const code = callbackParams(location).code ?? '';
    const tokens = (await (await respond(model, tokenRequest(exchangeBody(code)))).json()) as { access_token: string };
    const list = (await (await respond(model, apiRequest('/v1/workspaces', tokens.access_token))).json()) as {
      data: { workspaces: { id: string }[]; total_count: number };
    };
    expect(list.data.workspaces.map((workspace) => workspace.id)).toEqual([team?.id]);
    expect(list.data.total_count).toBe(1);
  });

  it('answers only GET on the authorize path', async () => {
    const { model } = createTestModel();
    const response = await respond(model, new Request(await pkceAuthorizeUrl(), { method: 'POST' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, OPTIONS');
  });
});
