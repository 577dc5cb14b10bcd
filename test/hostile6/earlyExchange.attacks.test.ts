// Hostile review 6: the early code exchange (earlyExchange.ts) with the session engine loaded.
// Tests named "DEFECT:" fail against the code under review and show a broken invariant; "held:" pin
// behaviour that survived the attack.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { takeSentSignIn } from '../../src/core/storage/transactionStorage';
import { landOnCallback, rejection, sessionOptions, setupFakeCoze } from '../helpers/harness';
import { createTestClock, flushAsync as settle, TEST_API_ORIGIN, TEST_CLIENT_ID } from '../../src/testing/index';

const fake = setupFakeCoze();
const TX = `coze-auth.tx.${TEST_CLIENT_ID}.`;
const TOKENS_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;

function pendingKeys(storage: Storage = sessionStorage, prefix = TX): string[] {
  return Object.keys(storage).filter((name) => name.startsWith(prefix));
}

function stateOf(url: string): string {
  return new URL(url).searchParams.get('state') as string;
}

function codeOf(url: string): string {
  return new URL(url).searchParams.get('code') as string;
}

/** What Coze's OpenAPI says of an access token right now (the model's clock). */
async function cozeAccepts(accessToken: string): Promise<boolean> {
  const answer = await fetch(`${TEST_API_ORIGIN}/v1/users/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
  return answer.status !== 401;
}

/** A Storage over a Map (the `transactionStorage` option). */
function mapStorage(items = new Map<string, string>()): Storage & { items: Map<string, string> } {
  return {
    items,
    get length() {
      return items.size;
    },
    key: (index: number) => [...items.keys()][index] ?? null,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
  };
}

beforeEach(() => {
  fake.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('hostile6: the early code exchange (engine loaded)', () => {
  // ── time ─────────────────────────────────────────────────────────────────

  // The early answer is read whenever the session gets round to it; its expiry is then computed
  // from the moment it is read (obtainedAt = now), not the moment Coze issued it. A session built on
  // its callback page and used later (never mounted: framework-agnostic code calling getToken() on
  // the first API call) hands out an access token Coze already expired as if it were fresh.
  // Before the early exchange the code would have been sent at that getToken() (a typed
  // invalid_grant for an expired code); now the answer is 16 minutes old and treated as new.
  it('DEFECT: a session built on its callback page and first used 16 minutes later hands out an access token Coze already expired', async () => {
    const clock = createTestClock(Date.UTC(2026, 0, 1, 12));
    const model = fake.reset({ now: clock.now });
    await landOnCallback(model);
    const session = new CozeSession(sessionOptions({ clock }));
    await settle();
    expect(model.counters.tokenExchange).toBe(1); // the early exchange left at construction
    const issuedAt = clock.now();

    await clock.advance(16 * 60_000); // Coze's access tokens live 15 minutes
    const token = await session.getToken();
    // getToken's contract: "an access token valid for at least the refresh skew". Coze says 401.
    expect(await cozeAccepts(token), 'Coze accepts the access token getToken() just returned (it answers 401)').toBe(true);
    // The token in hand is believed no longer than Coze issued it for (the first one, or its refresh).
    const issuedLast = model.requestLog.filter((entry) => entry.kind === 'token-refresh').at(-1)?.time ?? issuedAt;
    expect(session.getSnapshot().expiresAt).toBeLessThanOrEqual(issuedLast + 15 * 60_000);
  });

  // Found by the review and left out of its tests (no listed invariant named it): a router that
  // cleans the URL before <CozeCallback> mounts hands the session a URL without the callback. The
  // session recognised the callback at construction (and sent its exchange): it must complete that
  // one, not drop it and stay `signing-in` forever.
  it('DEFECT: handleRedirectCallback with a URL already cleaned completes the callback recognised at construction', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const session = new CozeSession(sessionOptions());
    const cleaned = new URL(callbackUrl);
    cleaned.search = '';
    window.history.replaceState(null, '', cleaned.href);
    await expect(session.handleRedirectCallback(cleaned.href)).resolves.toMatchObject({ returnTo: '/after', alreadySignedIn: false });
    expect(session.getSnapshot().status).toBe('signed-in');
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  // ── the address bar ──────────────────────────────────────────────────────

  // logout() before mount drops the recognised callback (and aborts the early request), so the
  // mount never handles it: the spent code and the state stay in the address bar (and in history).
  // (The logout branch predates the early exchange; the early exchange means the code in the bar is
  // now one that was already sent.)
  it('DEFECT: logout before mount on the callback page leaves code and state in the address bar', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const session = new CozeSession(sessionOptions());
    session.logout();
    const unmount = session.mount();
    await settle();
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(fake.state.model.counters.tokenExchange).toBeLessThanOrEqual(1);
    const bar = new URL(window.location.href).searchParams;
    expect({ code: bar.get('code'), state: bar.get('state') }, 'code and state stripped from the address bar').toEqual({ code: null, state: null });
    expect(codeOf(callbackUrl)).toBeTruthy();
    unmount();
  });

  // ── tampered records ─────────────────────────────────────────────────────

  it('held: a record whose fields hide under __proto__/constructor sends nothing, pollutes nothing, and fails as state_mismatch', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const key = pendingKeys()[0] as string;
    const stored = JSON.parse(sessionStorage.getItem(key) as string) as Record<string, unknown>;
    const tampered = `{"__proto__":{"client_id":"${TEST_CLIENT_ID}","code_verifier":"${String(stored.code_verifier)}"},"constructor":{"prototype":{"client_id":"${TEST_CLIENT_ID}"}}}`;
    sessionStorage.setItem(key, tampered);
    const session = new CozeSession(sessionOptions());
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    expect((await rejection(session.handleRedirectCallback(callbackUrl))).code).toBe('state_mismatch');
    expect(({} as Record<string, unknown>).client_id).toBeUndefined();
    expect(({} as Record<string, unknown>).code_verifier).toBeUndefined();
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    expect(pendingKeys()).toEqual([]);
  });

  it('held: a record that is JSON null, an array, a number or a 2 MB verifier never throws at construction and sends at most one exchange', async () => {
    for (const record of ['null', '[]', '42', '"text"', `{"client_id":"${TEST_CLIENT_ID}","code_verifier":"${'v'.repeat(2_000_000)}"}`]) {
      const model = fake.reset();
      const callbackUrl = await landOnCallback(model);
      sessionStorage.setItem(pendingKeys()[0] as string, record);
      let session: CozeSession | undefined;
      expect(() => (session = new CozeSession(sessionOptions()))).not.toThrow();
      const error = await rejection((session as CozeSession).handleRedirectCallback(callbackUrl));
      expect(error.code).toMatch(/state_mismatch|missing_verifier|invalid_grant/);
      expect(model.counters.tokenExchange).toBeLessThanOrEqual(1);
      expect(error.message).not.toContain('vvvvvvvv');
      expect(pendingKeys()).toEqual([]);
      sessionStorage.clear();
    }
  });

  // ── odd query strings ───────────────────────────────────────────────────

  it('held: `code=&code=<real>` sends no code (early or later) and fails typed, with the record gone', async () => {
    const callbackUrl = new URL(await landOnCallback(fake.state.model));
    const real = callbackUrl.searchParams.get('code') as string;
    callbackUrl.searchParams.delete('code');
    const odd = `${callbackUrl.href}&code=&code=${real}`;
    window.history.replaceState(null, '', odd);
    const session = new CozeSession(sessionOptions());
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    expect((await rejection(session.handleRedirectCallback(odd))).code).toBe('invalid_callback_url');
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    expect(pendingKeys()).toEqual([]);
  });

  it('held: an empty `error=` beside a code is not an error redirect: one exchange in all (the flow sends it, not the constructor)', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const odd = `${callbackUrl}&error=`;
    window.history.replaceState(null, '', odd);
    const session = new CozeSession(sessionOptions());
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    await expect(session.handleRedirectCallback(odd)).resolves.toMatchObject({ alreadySignedIn: false });
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  it('held: `error=access_denied` listed before the code sends nothing, ever', async () => {
    const callbackUrl = new URL(await landOnCallback(fake.state.model));
    const odd = `${callbackUrl.origin}${callbackUrl.pathname}?error=access_denied&error=&${callbackUrl.searchParams}`;
    window.history.replaceState(null, '', odd);
    const session = new CozeSession(sessionOptions());
    const unmount = session.mount();
    await settle();
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(session.getSnapshot().error?.code).toBe('access_denied');
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    expect(window.location.search).toBe('');
    unmount();
  });

  it('held: a state with special characters, or 100 kB long, is simply not a pending sign-in (no throw, nothing sent)', async () => {
    await landOnCallback(fake.state.model);
    for (const state of ['../../x', '%00', 'a b+c', '__proto__', 'constructor', 's'.repeat(100_000)]) {
      const url = new URL(window.location.href);
      url.searchParams.set('state', state);
      window.history.replaceState(null, '', url.href);
      let session: CozeSession | undefined;
      expect(() => (session = new CozeSession(sessionOptions()))).not.toThrow();
      expect(session?.getSnapshot().status).toBe('signed-out');
    }
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(0);
  });

  it('held: `state` twice: the first one is the one checked, sent and stripped', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const odd = `${callbackUrl}&state=attacker-state`;
    window.history.replaceState(null, '', odd);
    const session = new CozeSession(sessionOptions());
    await expect(session.handleRedirectCallback(odd)).resolves.toMatchObject({ alreadySignedIn: false });
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(window.location.search).toBe('');
  });

  // ── custom fetch ─────────────────────────────────────────────────────────

  it('held: a fetch that throws synchronously: one call, a typed network_error without secrets, no unhandled rejection, nothing left', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const callbackUrl = await landOnCallback(fake.state.model);
      const verifier = JSON.parse(sessionStorage.getItem(pendingKeys()[0] as string) as string).code_verifier as string;
      const fetch = vi.fn(() => {
        throw new TypeError('boom');
      });
      const session = new CozeSession(sessionOptions({ fetch }));
      expect(fetch).toHaveBeenCalledTimes(1);
      const error = await rejection(session.handleRedirectCallback(callbackUrl));
      expect(error.code).toBe('network_error');
      expect(JSON.stringify([error.message, error])).not.toContain(codeOf(callbackUrl));
      expect(JSON.stringify([error.message, error])).not.toContain(verifier);
      await settle();
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(pendingKeys()).toEqual([]);
      expect(takeSentSignIn(TEST_CLIENT_ID, stateOf(callbackUrl))).toBeUndefined();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('held: a 200 that is not JSON: invalid_token_response, signed out, sent once', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const fetch = vi.fn(async () => new Response('<html>proxy login</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    const session = new CozeSession(sessionOptions({ fetch }));
    const unmount = session.mount();
    const error = await rejection(session.handleRedirectCallback(callbackUrl));
    expect(error.code).toBe('invalid_token_response');
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(fetch).toHaveBeenCalledTimes(1);
    unmount();
  });

  it('held: a fetch that resolves to something that is not a Response is a typed error', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const fetch = vi.fn(async () => undefined as unknown as Response);
    const session = new CozeSession(sessionOptions({ fetch }));
    const error = await rejection(session.handleRedirectCallback(callbackUrl));
    expect(error.name).toBe('CozeAuthError');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('held: Coze echoing the code and verifier in its error_message: redacted in the error, its events and the console', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const code = codeOf(callbackUrl);
    const verifier = JSON.parse(sessionStorage.getItem(pendingKeys()[0] as string) as string).code_verifier as string;
    const fetch = vi.fn(async () =>
      Response.json({ error_code: 'invalid_grant', error_message: `code ${code} (${code.slice(0, 12)}) for verifier ${verifier.slice(3, 20)} is invalid` }, { status: 400 }),
    );
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const session = new CozeSession(sessionOptions({ fetch }));
    const events: unknown[] = [];
    session.onEvent((event) => events.push(event));
    const unmount = session.mount();
    const error = await rejection(session.handleRedirectCallback(callbackUrl));
    await settle();
    expect(error.code).toBe('invalid_grant');
    const dump = JSON.stringify([error.message, String(error.cause ?? ''), events.map((e) => JSON.stringify(e) + String((e as { error?: Error }).error?.message)), log.mock.calls, warn.mock.calls, session.getSnapshot().error?.message]);
    expect(dump).not.toContain(code.slice(5, 17));
    expect(dump).not.toContain(verifier.slice(3, 20));
    expect(fetch).toHaveBeenCalledTimes(1);
    unmount();
  });

  // ── options ──────────────────────────────────────────────────────────────

  it("held: codeChallengeMethod 'plain' exchanges early, once, with the verifier that was the challenge", async () => {
    const options = sessionOptions({ codeChallengeMethod: 'plain' });
    const starter = new CozeSession(options);
    await starter.login({ returnTo: '/plain' });
    const authorizeUrl = new URL(options.navigate.mock.calls[0]?.[0] as string);
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('plain');
    const callbackUrl = await fake.state.model.approve(authorizeUrl.href);
    window.history.replaceState(null, '', callbackUrl);
    const fetch = vi.fn((input: string, init: RequestInit) => globalThis.fetch(input, init));
    const session = new CozeSession(sessionOptions({ codeChallengeMethod: 'plain', fetch }));
    expect(fetch).toHaveBeenCalledTimes(1);
    const body = JSON.parse(fetch.mock.calls[0]?.[1]?.body as string) as Record<string, string>;
    expect(body.code_verifier).toBe(authorizeUrl.searchParams.get('code_challenge'));
    await expect(session.handleRedirectCallback(callbackUrl)).resolves.toMatchObject({ returnTo: '/plain', alreadySignedIn: false });
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  it('held: a custom transactionStorage is the one read and emptied; sessionStorage is not consulted', async () => {
    const transactions = mapStorage();
    const options = sessionOptions({ transactionStorage: transactions });
    await new CozeSession(options).login({ returnTo: '/custom' });
    const callbackUrl = await fake.state.model.approve(options.navigate.mock.calls[0]?.[0] as string);
    window.history.replaceState(null, '', callbackUrl);
    // A decoy in sessionStorage under the same key: must not be what is sent.
    const key = `${TX}${stateOf(callbackUrl)}`;
    sessionStorage.setItem(key, JSON.stringify({ client_id: TEST_CLIENT_ID, code_verifier: 'decoy-verifier-decoy-verifier-decoy-verifier-00' }));
    const fetch = vi.fn((input: string, init: RequestInit) => globalThis.fetch(input, init));
    const session = new CozeSession(sessionOptions({ transactionStorage: transactions, fetch }));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(JSON.parse(fetch.mock.calls[0]?.[1]?.body as string).code_verifier).not.toContain('decoy');
    expect(pendingKeys(transactions)).toEqual([]);
    await expect(session.handleRedirectCallback(callbackUrl)).resolves.toMatchObject({ returnTo: '/custom' });
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  it('held: two clients on one page with one redirect URI: only the owner of the state sends, once', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const fetchB = vi.fn((input: string, init: RequestInit) => globalThis.fetch(input, init));
    const a = new CozeSession(sessionOptions());
    const b = new CozeSession(sessionOptions({ clientId: 'other-client', fetch: fetchB }));
    expect(a.getSnapshot().status).toBe('signing-in');
    expect(b.getSnapshot().status).toBe('signed-out');
    const unmountB = b.mount();
    const unmountA = a.mount();
    await vi.waitFor(() => expect(a.getSnapshot().status).toBe('signed-in'));
    expect(fetchB).not.toHaveBeenCalled();
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(stateOf(callbackUrl)).toBeTruthy();
    unmountA();
    unmountB();
  });

  // ── replays, reloads, duplicated tabs ───────────────────────────────────

  it('held: the callback URL visited again after the sign-in (same page, and a fresh page) sends nothing', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const session = new CozeSession(sessionOptions());
    await session.handleRedirectCallback(callbackUrl);
    window.history.pushState(null, '', callbackUrl);
    await expect(session.handleRedirectCallback(callbackUrl)).resolves.toMatchObject({ alreadySignedIn: true });
    const again = new CozeSession(sessionOptions());
    expect(again.getSnapshot().status).toBe('signed-in');
    vi.resetModules();
    const { CozeSession: Reloaded } = await import('../../src/core/session/CozeSession');
    window.history.replaceState(null, '', callbackUrl);
    const reloaded = new Reloaded(sessionOptions());
    const unmount = reloaded.mount();
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(reloaded.getSnapshot().status).toBe('signed-in');
    unmount();
  });

  it('held: a tab duplicated while the early request is out (sessionStorage copied) sends nothing again', async () => {
    await landOnCallback(fake.state.model);
    new CozeSession(sessionOptions());
    const copy = new Map(Object.entries(sessionStorage));
    expect([...copy.keys()].filter((key) => key.startsWith(TX))).toEqual([]);
    vi.resetModules();
    const { CozeSession: Duplicate } = await import('../../src/core/session/CozeSession');
    const duplicate = new Duplicate(sessionOptions({ transactionStorage: mapStorage(copy) }));
    await settle();
    expect(duplicate.getSnapshot().status).toBe('signed-out');
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  it('held: StrictMode (two constructions, mount/unmount/mount of the kept one) signs in once; the discarded twin never sends', async () => {
    const callbackUrl = await landOnCallback(fake.state.model, '/strict');
    const fetch = vi.fn((input: string, init: RequestInit) => globalThis.fetch(input, init));
    new CozeSession(sessionOptions({ fetch }));
    const kept = new CozeSession(sessionOptions({ fetch }));
    const first = kept.mount();
    first();
    const second = kept.mount();
    await vi.waitFor(() => expect(kept.getSnapshot().status).toBe('signed-in'));
    await expect(kept.handleRedirectCallback(window.location.href)).resolves.toMatchObject({ returnTo: '/strict' });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(window.sessionStorage.getItem(TOKENS_KEY)).not.toBeNull();
    expect(stateOf(callbackUrl)).toBeTruthy();
    second();
  });
});
