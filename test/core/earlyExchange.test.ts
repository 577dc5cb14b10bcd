// The early code exchange: a session created on its callback page sends the exchange from its
// constructor. Many of these came from hostile review 5 of the first version (withdrawn), which
// sent a code with an error redirect, sent what the flow would refuse, sent a code twice across a
// reload and kept the verifier in storage after use.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { takeSentSignIn } from '../../src/core/storage/transactionStorage';
import { landOnCallback, rejection, sessionOptions, setupFakeCoze } from '../helpers/harness';
import { createTestClock, flushAsync as settle, TEST_CLIENT_ID } from '../../src/testing/index';

const fake = setupFakeCoze();
const TX = `coze-auth.tx.${TEST_CLIENT_ID}.`;

function pendingKey(): string {
  return Object.keys(sessionStorage).find((name) => name.startsWith(TX)) as string;
}

function tokenBodies(calls: unknown[][]): Record<string, string>[] {
  return calls
    .map(([, init]) => (init as RequestInit | undefined)?.body)
    .filter((body): body is string => typeof body === 'string')
    .map((body) => JSON.parse(body) as Record<string, string>);
}

afterEach(() => {
  vi.doUnmock('../../src/core/session/sessionEngine');
});

describe('the early code exchange', () => {
  beforeEach(() => {
    fake.reset();
  });

  // ── injection / recognition ────────────────────────────────────────────

  it('a callback carrying both `code` and `error` sends no code (the flow treats it as an error redirect)', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const both = new URL(callbackUrl);
    both.searchParams.set('error', 'access_denied');
    window.history.replaceState(null, '', both.href);
    const session = new CozeSession(sessionOptions());
    await settle();
    // earlyExchange.ts: "Nothing is sent for an error redirect". The flow never sends this code.
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    expect((await rejection(session.handleRedirectCallback(both.href))).code).toBe('access_denied');
    expect(fake.state.model.counters.tokenExchange).toBe(0);
  });

  it('a pending sign-in whose stored verifier is not a string is refused by the flow, so nothing is sent early either', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const key = pendingKey();
    const stored = JSON.parse(sessionStorage.getItem(key) as string) as Record<string, unknown>;
    sessionStorage.setItem(key, JSON.stringify({ ...stored, code_verifier: 12345678 }));
    const session = new CozeSession(sessionOptions());
    await settle();
    expect((await rejection(session.handleRedirectCallback(callbackUrl))).code).toBe('missing_verifier');
    // The flow sent nothing for this pending sign-in: the early exchange must not have either.
    expect(fake.state.model.counters.tokenExchange).toBe(0);
  });

  it('a stored redirect_uri the flow does not use (non-string) never makes the code go out twice for one state', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const key = pendingKey();
    const stored = JSON.parse(sessionStorage.getItem(key) as string) as Record<string, unknown>;
    sessionStorage.setItem(key, JSON.stringify({ ...stored, redirect_uri: { evil: true } }));
    const fetch = vi.fn((input: string, init: RequestInit) => globalThis.fetch(input, init));
    const session = new CozeSession(sessionOptions({ fetch }));
    await rejection(session.handleRedirectCallback(callbackUrl)).catch(() => undefined);
    await settle();
    const codes = tokenBodies(fetch.mock.calls).filter((body) => body.grant_type === 'authorization_code');
    // One exchange per state.
    expect(codes.length).toBeLessThanOrEqual(1);
    expect(fake.state.model.counters.tokenExchange).toBeLessThanOrEqual(1);
  });

  it('a state under this client\'s prefix that belongs to another client id sends nothing early', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const key = pendingKey();
    const stored = JSON.parse(sessionStorage.getItem(key) as string) as Record<string, unknown>;
    sessionStorage.setItem(key, JSON.stringify({ ...stored, client_id: `${TEST_CLIENT_ID}.other` }));
    const session = new CozeSession(sessionOptions());
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    expect((await rejection(session.handleRedirectCallback(callbackUrl))).code).toBe('state_mismatch');
    expect(fake.state.model.counters.tokenExchange).toBe(0);
  });

  it('a callback URL on another path of this origin sends nothing early', async () => {
    const callbackUrl = new URL(await landOnCallback(fake.state.model));
    callbackUrl.pathname = `${callbackUrl.pathname}/elsewhere`;
    window.history.replaceState(null, '', callbackUrl.href);
    new CozeSession(sessionOptions());
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(0);
  });

  it('duplicated code params: the early request and the flow send the same (first) code, once', async () => {
    const callbackUrl = new URL(await landOnCallback(fake.state.model));
    callbackUrl.searchParams.append('code', 'attacker-code-AAAAAAAAAAAAAAAA');
    window.history.replaceState(null, '', callbackUrl.href);
    const session = new CozeSession(sessionOptions());
    await expect(session.handleRedirectCallback(callbackUrl.href)).resolves.toMatchObject({ alreadySignedIn: false });
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  // ── the verifier and single use ────────────────────────────────────────

  it('the PKCE verifier is deleted once the early request used it', async () => {
    await landOnCallback(fake.state.model);
    new CozeSession(sessionOptions());
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    // The code and verifier have left; the verifier still sits in sessionStorage until the sign-in
    // chunk arrives (forever, if it never does).
    const leftover = Object.keys(sessionStorage)
      .filter((name) => name.startsWith(TX))
      .map((name) => sessionStorage.getItem(name) ?? '')
      .filter((value) => value.includes('code_verifier'));
    expect(leftover).toEqual([]);
  });

  it('a page reload while the early request is in flight does not send the same code a second time', async () => {
    await landOnCallback(fake.state.model);
    new CozeSession(sessionOptions());
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    // Reload: same URL (the address bar is cleaned only when the callback is handled on mount), same
    // sessionStorage, fresh modules (the "sent" map is gone).
    vi.resetModules();
    const { CozeSession: Reloaded } = await import('../../src/core/session/CozeSession');
    new Reloaded(sessionOptions());
    await settle();
    // One exchange per state: the reloaded page spends the already-spent code again (Coze rejects it,
    // and the first page's tokens are lost).
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  // ── races ────────────────────────────────────────────────────────────────

  it('an early request hanging past the timeout ends in a transient network_error and is aborted', async () => {
    const clock = createTestClock();
    let signal: AbortSignal | undefined;
    const fetch = vi.fn((_input: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    await landOnCallback(fake.state.model);
    const session = new CozeSession(sessionOptions({ clock, fetch }));
    expect(fetch).toHaveBeenCalledTimes(1);
    const outcome = session.handleRedirectCallback(window.location.href).then(
      () => undefined,
      (error: unknown) => error,
    );
    await settle();
    await clock.advance(30_000);
    const error = (await outcome) as { code?: string };
    expect(error?.code).toBe('network_error');
    expect(signal?.aborted).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('a failing early request never taken produces no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await landOnCallback(fake.state.model);
      new CozeSession(sessionOptions({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) }));
      await settle();
      const early = takeSentSignIn(TEST_CLIENT_ID, new URL(window.location.href).searchParams.get('state') as string);
      expect(early).toBeDefined();
      early?.controller.abort();
      await settle();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a 503 on the early request is a typed transient error without code/verifier, sent once', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const code = new URL(callbackUrl).searchParams.get('code') as string;
    const verifier = JSON.parse(sessionStorage.getItem(pendingKey()) as string).code_verifier as string;
    fake.state.model.failNext('exchange', { status: 503 });
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const session = new CozeSession(sessionOptions());
    const error = await rejection(session.handleRedirectCallback(callbackUrl));
    expect(error.code).toBe('server_error');
    const dump = JSON.stringify([error.message, String(error.cause ?? ''), log.mock.calls, warn.mock.calls]);
    expect(dump).not.toContain(code);
    expect(dump).not.toContain(verifier);
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(sessionStorage.getItem(pendingKey() ?? 'none')).toBeNull();
  });

  // Sign-outs on the callback page and storage that throws: test/core/hostile5.callbackPage.test.ts.
});
