// Hostile review 3: the authorize request built without OidcClient (SigninState + WebStorageStateStore).
// Tests marked "DEFECT" failed against the code under review (and pass since the fix); the others pin behaviour that held.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { rejection, sessionOptions, setupFakeCoze, startSignIn } from '../helpers/harness';
import { TEST_CLIENT_ID as CLIENT_ID, TEST_WEB_ORIGIN as WEB_ORIGIN } from '../../src/testing/index';

const fake = setupFakeCoze();
const TX_PREFIX = `coze-auth.tx.${CLIENT_ID}.`;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function pendingTransactions(): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  for (let i = 0; i < sessionStorage.length; i++) {
    const key = sessionStorage.key(i)!;
    if (key.startsWith('coze-auth.tx.')) out.push([key, JSON.parse(sessionStorage.getItem(key)!) as Record<string, unknown>]);
  }
  return out;
}

async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function authorizeUrlOf(extra: Parameters<typeof sessionOptions>[0] = {}): Promise<URL> {
  const options = sessionOptions(extra);
  await new CozeSession(options).login({ returnTo: '/x' });
  expect(options.navigate).toHaveBeenCalledTimes(1);
  return new URL(options.navigate.mock.calls[0]![0] as string);
}

describe('hostile3: the authorize URL against coze-oauth.md §1', () => {
  it('S256: exactly the six documented parameters; challenge = base64url(SHA-256(verifier))', async () => {
    fake.reset();
    const url = await authorizeUrlOf();
    expect(`${url.origin}${url.pathname}`).toBe(`${WEB_ORIGIN}/api/permission/oauth2/authorize`);
    expect([...url.searchParams.keys()].sort()).toEqual(
      ['client_id', 'code_challenge', 'code_challenge_method', 'redirect_uri', 'response_type', 'state'],
    );
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(CLIENT_ID);
    expect(p.get('redirect_uri')).toBe(`${window.location.origin}/callback`);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('state')).toMatch(/^[A-Za-z0-9\-._~]{16,}$/);
    const [[key, stored]] = pendingTransactions() as [[string, Record<string, unknown>]];
    expect(key).toBe(TX_PREFIX + p.get('state'));
    const verifier = stored.code_verifier as string;
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/); // RFC 7636 §4.1
    expect(p.get('code_challenge')).toBe(await s256(verifier));
    expect(url.href).not.toContain(verifier);
  });

  it('plain: the challenge is the verifier; workspace path', async () => {
    fake.reset();
    const url = await authorizeUrlOf({ codeChallengeMethod: 'plain', workspaceId: '7 3/9' });
    expect(url.pathname).toBe('/api/permission/oauth2/workspace_id/7%203%2F9/authorize');
    const [[, stored]] = pendingTransactions() as [[string, Record<string, unknown>]];
    expect(url.searchParams.get('code_challenge_method')).toBe('plain');
    expect(url.searchParams.get('code_challenge')).toBe(stored.code_verifier);
  });

  // DEFECT. `plain` exists for where S256 cannot be computed (the config docs: "S256 is the only safe
  // choice where Web Crypto exists"): a page served over plain http on a LAN address has
  // crypto.getRandomValues but no crypto.subtle. SigninState.create always hashes the verifier, so
  // with codeChallengeMethod 'plain' sign-in still throws crypto_unavailable and never leaves.
  it('plain works without crypto.subtle (insecure context), since no hash is needed', async () => {
    fake.reset();
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) });
    const options = sessionOptions({ codeChallengeMethod: 'plain' });
    const session = new CozeSession(options);
    const outcome = await session.login().then(
      () => 'navigated',
      (error: { code?: string }) => error.code,
    );
    expect(outcome).toBe('navigated');
    const url = new URL(options.navigate.mock.calls[0]![0] as string);
    expect(url.searchParams.get('code_challenge_method')).toBe('plain');
    // The way back needs no hash either: the callback completes on the same page.
    const callbackUrl = await fake.state.model.approve(url.href);
    window.history.replaceState(null, '', callbackUrl);
    await expect(session.handleRedirectCallback(callbackUrl)).resolves.toMatchObject({ alreadySignedIn: false });
    expect(session.getSnapshot().status).toBe('signed-in');
    vi.unstubAllGlobals();
  });

  it('Coze (the fake) accepts the S256 and plain requests and the whole round trip works', async () => {
    for (const method of ['S256', 'plain'] as const) {
      const model = fake.reset();
      const options = sessionOptions({ codeChallengeMethod: method });
      const session = new CozeSession(options);
      const callbackUrl = await startSignIn(session, model, options.navigate, '/m');
      window.history.replaceState(null, '', callbackUrl);
      await expect(session.handleRedirectCallback(callbackUrl)).resolves.toEqual({ returnTo: '/m', alreadySignedIn: false });
      expect(pendingTransactions()).toEqual([]);
    }
  });
});

describe('hostile3: pending sign-ins (state store)', () => {
  it('a replayed callback URL is refused after use (state_mismatch in a signed-out tab)', async () => {
    const model = fake.reset();
    const options = sessionOptions();
    const callbackUrl = await startSignIn(new CozeSession(options), model, options.navigate);
    window.history.replaceState(null, '', callbackUrl);
    await new CozeSession(sessionOptions()).handleRedirectCallback(callbackUrl);
    sessionStorage.removeItem(`coze-auth.tokens.${CLIENT_ID}`);
    const replay = new CozeSession(sessionOptions());
    expect((await rejection(replay.handleRedirectCallback(callbackUrl))).code).toBe('state_mismatch');
    expect(model.counters.tokenExchange).toBe(1);
  });

  it('a state stored for another client id (key copied under this prefix) is refused, no exchange', async () => {
    const model = fake.reset();
    const options = sessionOptions();
    const callbackUrl = await startSignIn(new CozeSession(options), model, options.navigate);
    const state = new URL(callbackUrl).searchParams.get('state')!;
    const stored = JSON.parse(sessionStorage.getItem(TX_PREFIX + state)!) as Record<string, unknown>;
    sessionStorage.setItem(TX_PREFIX + state, JSON.stringify({ ...stored, client_id: 'someone-else' }));
    window.history.replaceState(null, '', callbackUrl);
    const error = await rejection(new CozeSession(sessionOptions()).handleRedirectCallback(callbackUrl));
    expect(error.code).toBe('state_mismatch');
    expect(model.counters.tokenExchange).toBe(0);
  });

  it('a tampered state (one character changed) is refused and leaves the real pending sign-in usable', async () => {
    const model = fake.reset();
    const options = sessionOptions();
    const callbackUrl = await startSignIn(new CozeSession(options), model, options.navigate, '/t');
    const tampered = new URL(callbackUrl);
    const state = tampered.searchParams.get('state')!;
    tampered.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('a') ? 'b' : 'a'}`);
    window.history.replaceState(null, '', tampered.href);
    expect((await rejection(new CozeSession(sessionOptions()).handleRedirectCallback(tampered.href))).code).toBe('state_mismatch');
    window.history.replaceState(null, '', callbackUrl);
    await expect(new CozeSession(sessionOptions()).handleRedirectCallback(callbackUrl)).resolves.toMatchObject({ returnTo: '/t' });
  });

  it('stale pending sign-ins (> 15 min) are swept when a new one starts; recent ones stay', async () => {
    fake.reset();
    const created = Math.floor(Date.now() / 1000);
    const entry = (id: string, age: number) =>
      JSON.stringify({ id, created: created - age, request_type: 'si:r', code_verifier: 'v'.repeat(43), authority: WEB_ORIGIN, client_id: CLIENT_ID, redirect_uri: 'x', scope: 'coze', data: {} });
    sessionStorage.setItem(`${TX_PREFIX}old`, entry('old', 16 * 60));
    sessionStorage.setItem(`${TX_PREFIX}recent`, entry('recent', 60));
    sessionStorage.setItem('coze-auth.tx.other-client.old', entry('old', 16 * 60));
    await authorizeUrlOf();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sessionStorage.getItem(`${TX_PREFIX}old`)).toBeNull();
    expect(sessionStorage.getItem(`${TX_PREFIX}recent`)).not.toBeNull();
    expect(sessionStorage.getItem('coze-auth.tx.other-client.old')).not.toBeNull();
  });

  it('no verifier is left behind after a failed exchange (rejected code, Coze down, access_denied)', async () => {
    for (const setup of ['rejected', 'down', 'denied'] as const) {
      sessionStorage.clear();
      const model = fake.reset();
      const options = sessionOptions();
      const session = new CozeSession(options);
      options.navigate.mockClear();
      await session.login();
      const authorizeUrl = options.navigate.mock.calls[0]![0] as string;
      let callbackUrl = setup === 'denied' ? await model.deny(authorizeUrl) : await model.approve(authorizeUrl);
      if (setup === 'rejected') {
        const url = new URL(callbackUrl);
        url.searchParams.set('code', 'not-a-code');
        callbackUrl = url.href;
      }
      if (setup === 'down') model.failNext('exchange', { status: 503 });
      window.history.replaceState(null, '', callbackUrl);
      await rejection(new CozeSession(sessionOptions()).handleRedirectCallback(callbackUrl));
      expect({ setup, left: pendingTransactions().length }).toEqual({ setup, left: 0 });
    }
  });
});

describe('hostile3: nothing secret in errors or logs', () => {
  function everything(error: unknown): string {
    const parts: string[] = [];
    let current: unknown = error;
    for (let depth = 0; current && depth < 5; depth++) {
      const e = current as Error & Record<string, unknown>;
      parts.push(String(e.message), String(e.stack), JSON.stringify(e));
      current = e.cause;
    }
    return parts.join('\n');
  }

  it('failed callbacks carry neither the code nor the verifier; nothing is logged', async () => {
    const logs: unknown[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logs.push(args));
    }
    const model = fake.reset();
    const options = sessionOptions();
    const callbackUrl = await startSignIn(new CozeSession(options), model, options.navigate);
    const url = new URL(callbackUrl);
    const code = url.searchParams.get('code')!;
    const state = url.searchParams.get('state')!;
    const verifier = (JSON.parse(sessionStorage.getItem(TX_PREFIX + state)!) as { code_verifier: string }).code_verifier;
    model.failNext('exchange', { status: 400 });
    window.history.replaceState(null, '', callbackUrl);
    const failed = await rejection(new CozeSession(sessionOptions()).handleRedirectCallback(callbackUrl));
    const replayed = await rejection(new CozeSession(sessionOptions()).handleRedirectCallback(callbackUrl));
    for (const error of [failed, replayed]) {
      const text = everything(error);
      expect(text).not.toContain(code);
      expect(text).not.toContain(verifier);
    }
    const logged = JSON.stringify(logs.map((args) => String(args)));
    expect(logged).not.toContain(code);
    expect(logged).not.toContain(verifier);
  });
});
