import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { TEST_CLIENT_ID, TEST_WEB_ORIGIN } from '../../src/testing/index';
import { rejection, sessionOptions, signIn, startSignIn, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();

function transactionKeys(): string[] {
  return Object.keys(sessionStorage).filter((key) => key.startsWith('coze-auth.tx.'));
}

async function base64urlSha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}


describe('CozeSession sign-in', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('builds the authorize URL exactly as Coze expects (S256)', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    await session.login({ returnTo: '/dashboard' });
    const url = new URL(options.navigate.mock.calls[0]![0] as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${TEST_WEB_ORIGIN}/api/permission/oauth2/authorize`);
    expect([...url.searchParams.keys()].sort()).toEqual(
      ['client_id', 'code_challenge', 'code_challenge_method', 'redirect_uri', 'response_type', 'state'].sort(),
    );
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe(TEST_CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(options.redirectUri);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const state = url.searchParams.get('state')!;
    expect(state).toMatch(/^[0-9a-f]{32}$/);
    // The verifier waits in sessionStorage under the state; the challenge is its SHA-256.
    const stored = JSON.parse(sessionStorage.getItem(`coze-auth.tx.${TEST_CLIENT_ID}.${state}`)!);
    expect(stored.code_verifier.length).toBeGreaterThanOrEqual(43);
    expect(url.searchParams.get('code_challenge')).toBe(await base64urlSha256(stored.code_verifier));
  });

  it('uses the workspace-scoped path and the plain method when configured', async () => {
    const options = sessionOptions({ workspaceId: 'ws 1', codeChallengeMethod: 'plain' });
    await new CozeSession(options).login();
    const url = new URL(options.navigate.mock.calls[0]![0] as string);
    expect(url.pathname).toBe('/api/permission/oauth2/workspace_id/ws%201/authorize');
    const stored = JSON.parse(sessionStorage.getItem(`coze-auth.tx.${TEST_CLIENT_ID}.${url.searchParams.get('state')}`)!);
    expect(url.searchParams.get('code_challenge_method')).toBe('plain');
    expect(url.searchParams.get('code_challenge')).toBe(stored.code_verifier);
  });

  it.each(['S256', 'plain'] as const)('signs in with one exchange and cleans up (%s)', async (method) => {
    const options = sessionOptions({ codeChallengeMethod: method });
    const session = new CozeSession(options);
    const result = await signIn(session, fake.state.model, options.navigate, '/dashboard?tab=2');
    expect(result).toEqual({ returnTo: '/dashboard?tab=2', alreadySignedIn: false });
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    const state = session.getSnapshot();
    expect(state.status).toBe('signed-in');
    expect(state.isAuthenticated).toBe(true);
    expect(state.expiresAt).toBeGreaterThan(Date.now());
    expect(state.sessionId).toMatch(/^[0-9a-f]{32}$/);
    // code and state are gone from the address bar, the verifier from storage.
    expect(window.location.search).toBe('');
    expect(transactionKeys()).toEqual([]);
    // Tokens persist in sessionStorage by default.
    expect(sessionStorage.getItem(`coze-auth.tokens.${TEST_CLIENT_ID}`)).toContain(state.accessToken);
  });

  it('exchanges the code exactly once however often the callback is handled', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate);
    window.history.replaceState(null, '', callbackUrl);
    const results = await Promise.all([
      session.handleRedirectCallback(callbackUrl),
      session.handleRedirectCallback(callbackUrl),
      new CozeSession(options).handleRedirectCallback(callbackUrl),
    ]);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toMatchObject({ alreadySignedIn: false });
    // Once settled, the same URL again is a replay: harmless, and still no second exchange.
    await expect(session.handleRedirectCallback(callbackUrl)).resolves.toMatchObject({ alreadySignedIn: true });
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  it('treats a replayed callback as harmless when already signed in', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate, '/first');
    window.history.replaceState(null, '', callbackUrl);
    await session.handleRedirectCallback(callbackUrl);
    // A reload builds a new session (new page); the old URL is replayed through the Back button.
    const reloaded = new CozeSession(options);
    await expect(reloaded.handleRedirectCallback(callbackUrl)).resolves.toEqual({ returnTo: '/', alreadySignedIn: true });
    expect(reloaded.getSnapshot().error).toBeUndefined();
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  it('rejects a replayed callback with state_mismatch when signed out, without exchanging', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate);
    await session.handleRedirectCallback(callbackUrl);
    session.logout();
    const fresh = new CozeSession(options);
    const error = await rejection(fresh.handleRedirectCallback(callbackUrl));
    expect(error.code).toBe('state_mismatch');
    expect(fresh.getSnapshot()).toMatchObject({ status: 'signed-out', error });
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  it('rejects a tampered state before any exchange and keeps the real pending sign-in', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate);
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set('state', 'f'.repeat(32));
    const error = await rejection(session.handleRedirectCallback(tampered.href));
    expect(error.code).toBe('state_mismatch');
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    expect(transactionKeys()).toHaveLength(1);
  });

  it('reports a cancelled consent as access_denied and consumes the pending sign-in', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    await session.login();
    const callbackUrl = await fake.state.model.deny(options.navigate.mock.calls[0]![0] as string);
    window.history.replaceState(null, '', callbackUrl);
    const error = await rejection(session.handleRedirectCallback(callbackUrl));
    expect(error.code).toBe('access_denied');
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', error });
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    expect(transactionKeys()).toEqual([]);
    expect(window.location.search).toBe('');
  });

  it('rejects another OAuth error redirect as authorization_error', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    await session.login();
    const state = new URL(options.navigate.mock.calls[0]![0] as string).searchParams.get('state');
    const url = `${window.location.origin}/callback?error=server_error&error_description=Try+later&state=${state}`;
    const error = await rejection(session.handleRedirectCallback(url));
    expect(error).toMatchObject({ code: 'authorization_error', oauthError: 'server_error' });
    expect(error.message).toContain('Try later');
  });

  it.each([
    ['malformed', 'http://[::1'],
    ['without parameters', 'http://localhost:3000/callback'],
    ['without state', 'http://localhost:3000/callback?code=abc'],
  ])('rejects a %s callback URL with invalid_callback_url', async (_what, url) => {
    const session = new CozeSession(sessionOptions());
    const error = await rejection(session.handleRedirectCallback(url));
    expect(error.code).toBe('invalid_callback_url');
    expect(fake.state.model.counters.tokenExchange).toBe(0);
  });

  it('reports missing_verifier when the pending sign-in was altered', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate);
    const key = transactionKeys()[0]!;
    const stored = JSON.parse(sessionStorage.getItem(key)!);
    delete stored.code_verifier;
    sessionStorage.setItem(key, JSON.stringify(stored));
    const error = await rejection(session.handleRedirectCallback(callbackUrl));
    expect(error.code).toBe('missing_verifier');
    expect(fake.state.model.counters.tokenExchange).toBe(0);
  });

  it('reports a rejected code as invalid_grant without leaking it', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate);
    const code = new URL(callbackUrl).searchParams.get('code')!;
    fake.state.model.failNext('exchange', { status: 400 });
    const error = await rejection(session.handleRedirectCallback(callbackUrl));
    expect(['invalid_grant', 'invalid_token_response']).toContain(error.code);
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain(code);
  });

  it('reports an unreachable token endpoint as network_error', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate);
    fake.state.model.failNext('exchange', 'network');
    const error = await rejection(session.handleRedirectCallback(callbackUrl));
    expect(error.code).toBe('network_error');
    expect(session.getSnapshot().status).toBe('signed-out');
  });

  it('refuses a returnTo on another origin before leaving the page', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    for (const returnTo of ['https://evil.example/', '//evil.example', 'javascript:alert(1)']) {
      await expect(session.login({ returnTo })).rejects.toMatchObject({ code: 'unsafe_return_to' });
    }
    expect(options.navigate).not.toHaveBeenCalled();
    expect(transactionKeys()).toEqual([]);
  });

  it('falls back to / when a stored returnTo was tampered with', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate, '/safe');
    const key = transactionKeys()[0]!;
    const stored = JSON.parse(sessionStorage.getItem(key)!);
    stored.data.returnTo = 'https://evil.example/';
    sessionStorage.setItem(key, JSON.stringify(stored));
    await expect(session.handleRedirectCallback(callbackUrl)).resolves.toMatchObject({ returnTo: '/' });
  });

  it('never writes to the console during sign-in, success or failure', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) => vi.spyOn(console, name));
    const options = sessionOptions();
    const session = new CozeSession(options);
    await signIn(session, fake.state.model, options.navigate);
    await session.handleRedirectCallback('http://localhost:3000/callback?code=x&state=y').catch(() => undefined);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
