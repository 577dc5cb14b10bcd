import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { http, HttpResponse } from 'msw';
import { TEST_API_ORIGIN, TEST_CLIENT_ID, createTestClock, flushAsync } from '../../src/testing/index';
import { sessionOptions, signIn, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();
const START = Date.UTC(2026, 10, 25, 9, 0, 0);

function setup(accessTokenTtlSeconds = 5, extra: Parameters<typeof sessionOptions>[0] = {}) {
  const clock = createTestClock(START);
  const model = fake.reset({ now: clock.now, accessTokenTtlSeconds });
  const options = sessionOptions({ clock, ...extra });
  const session = new CozeSession(options);
  const events: CozeAuthEvent[] = [];
  session.onEvent((event) => events.push(event));
  return { clock, model, options, session, events };
}

describe('CozeSession tokens and refresh', () => {
  let unmount: (() => void) | undefined;
  afterEach(() => {
    unmount?.();
    unmount = undefined;
  });

  it('computes expiry from Coze’s absolute expires_in', async () => {
    const { session, model, options } = setup(900);
    await signIn(session, model, options.navigate);
    expect(session.getSnapshot().expiresAt).toBe(START + 900_000);
  });

  it('returns the current token while fresh, without a request', async () => {
    const { session, model, options } = setup(900);
    await signIn(session, model, options.navigate);
    const token = session.getSnapshot().accessToken;
    await expect(session.getToken()).resolves.toBe(token);
    expect(model.counters.tokenRefresh).toBe(0);
  });

  it('refreshes on demand once due, and 20 concurrent callers share one request', async () => {
    const { session, model, options, clock } = setup(900);
    await signIn(session, model, options.navigate);
    const before = session.getSnapshot();
    clock.set(START + 900_000 - 30_000); // inside the 60 s skew
    const tokens = await Promise.all(Array.from({ length: 20 }, () => session.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(before.accessToken);
    expect(model.counters.tokenRefresh).toBe(1);
    expect(session.getSnapshot().sessionId).toBe(before.sessionId);
  });

  it('rotates the refresh token atomically: the old one is spent', async () => {
    const { session, model, options, clock } = setup(900);
    await signIn(session, model, options.navigate);
    const key = `coze-auth.tokens.${TEST_CLIENT_ID}`;
    const oldRefresh = JSON.parse(sessionStorage.getItem(key)!).refreshToken as string;
    clock.set(START + 899_000);
    await session.refresh();
    const stored = JSON.parse(sessionStorage.getItem(key)!);
    expect(stored.refreshToken).not.toBe(oldRefresh);
    expect(stored.accessToken).toBe(session.getSnapshot().accessToken);
    // Spending the old refresh token again is rejected by Coze.
    const replay = await fetch(`${TEST_API_ORIGIN}/api/permission/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', client_id: TEST_CLIENT_ID, refresh_token: oldRefresh }),
    });
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(replay.status).toBeLessThan(500);
  });

  it('refreshes proactively at expiry minus a skew proportional to a short lifetime', async () => {
    const { session, model, options, clock } = setup(5);
    await signIn(session, model, options.navigate);
    unmount = session.mount();
    await clock.advance(3_700);
    expect(model.counters.tokenRefresh).toBe(0);
    await clock.advance(100); // 5 s token → skew 1.25 s → due at 3.75 s
    expect(model.counters.tokenRefresh).toBe(1);
    // …and keeps doing so: one refresh per ~¾ lifetime (Coze's whole-second expiry makes
    // some lifetimes a little shorter), never a loop.
    await clock.advance(30_000);
    expect(model.counters.tokenRefresh).toBeGreaterThanOrEqual(7);
    expect(model.counters.tokenRefresh).toBeLessThanOrEqual(11);
    expect(session.getSnapshot().status).toBe('signed-in');
  });

  it('re-checks expiry on visibilitychange, focus and online (timers frozen during sleep)', async () => {
    for (const wake of ['visibilitychange', 'focus', 'online'] as const) {
      const { session, model, options, clock } = setup(60);
      await signIn(session, model, options.navigate);
      const stop = session.mount();
      clock.set(clock.now() + 3_600_000); // slept an hour; no timer fired
      (wake === 'visibilitychange' ? document : window).dispatchEvent(new Event(wake));
      await flushAsync();
      expect(model.counters.tokenRefresh, wake).toBe(1);
      expect(session.getSnapshot().expiresAt).toBeGreaterThan(clock.now());
      stop();
    }
  });

  it('ends the session cleanly when Coze rejects the refresh token, with no loop', async () => {
    const { session, model, options, clock, events } = setup(5);
    await signIn(session, model, options.navigate);
    unmount = session.mount();
    model.failRefreshWith('invalid_grant');
    clock.set(START + 10_000);
    await expect(session.getToken()).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', isAuthenticated: false, accessToken: undefined });
    expect(session.getSnapshot().error?.code).toBe('invalid_grant');
    expect(sessionStorage.getItem(`coze-auth.tokens.${TEST_CLIENT_ID}`)).toBeNull();
    expect(events.filter((e) => e.type === 'signed-out')).toEqual([
      expect.objectContaining({ reason: 'refresh-rejected' }),
    ]);
    const requests = model.counters.tokenRefresh + model.counters.tokenErrors;
    await clock.advance(120_000);
    expect(model.counters.tokenRefresh + model.counters.tokenErrors).toBe(requests);
    await expect(session.getToken()).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('retries 5xx and network failures with backoff while the old token is valid, then recovers', async () => {
    const { session, model, options, clock, events } = setup(60);
    await signIn(session, model, options.navigate);
    unmount = session.mount();
    const oldToken = session.getSnapshot().accessToken;
    model.failNext('refresh', { status: 503 }, 1);
    model.failNext('refresh', 'network', 1);
    clock.set(START + 50_000); // due (skew 15 s) but still valid
    await expect(session.getToken()).resolves.toBe(oldToken);
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-in' });
    expect(session.getSnapshot().error?.code).toBe('server_error');
    await clock.advance(1_500);
    expect(events.filter((e) => e.type === 'refresh-retry').map((e) => (e as { error: { code: string } }).error.code)).toEqual([
      'server_error',
      'network_error',
    ]);
    await clock.advance(3_000);
    expect(session.getSnapshot().accessToken).not.toBe(oldToken);
    expect(session.getSnapshot().error).toBeUndefined();
    expect(session.getSnapshot().status).toBe('signed-in');
  });

  it('keeps the session through an outage past expiry and recovers when Coze is back', async () => {
    const { session, model, options, clock } = setup(60);
    await signIn(session, model, options.navigate);
    unmount = session.mount();
    model.failNext('refresh', { status: 503 }, 3);
    clock.set(START + 61_000); // expired
    await expect(session.getToken()).rejects.toMatchObject({ code: 'server_error' });
    // While the retry is scheduled, callers share its pending outcome: no new request.
    await expect(session.getToken()).rejects.toMatchObject({ code: 'server_error' });
    expect(model.counters.tokenRefresh).toBe(1);
    expect(session.getSnapshot().isAuthenticated).toBe(true);
    await clock.advance(40_000); // the backoff steps (≤ 1.2 s, 2.4 s, 4.8 s) run: two more failures, then success
    expect(model.counters.tokenRefresh).toBe(4);
    const token = await session.getToken();
    expect(token).toBe(session.getSnapshot().accessToken);
    expect(session.getSnapshot().error).toBeUndefined();
  });

  it('treats a garbled refresh response as transient and keeps the tokens', async () => {
    const { session, model, options, clock } = setup(60);
    await signIn(session, model, options.navigate);
    fake.server.use(
      http.post(`${TEST_API_ORIGIN}/api/permission/oauth2/token`, () => HttpResponse.text('<html>captive portal</html>'), { once: true }),
    );
    clock.set(START + 50_000);
    const token = session.getSnapshot().accessToken;
    await expect(session.getToken()).resolves.toBe(token);
    expect(session.getSnapshot().isAuthenticated).toBe(true);
  });

  it('ends a session without refresh token at expiry with session_expired', async () => {
    const clock = createTestClock(START);
    fake.reset({ now: clock.now });
    const storage = new Map<string, string>();
    storage.set(
      `coze-auth.tokens.${TEST_CLIENT_ID}`,
      JSON.stringify({ accessToken: 'at', expiresAt: START + 10_000, obtainedAt: START, tokenType: 'Bearer', sessionId: 's' }),
    );
    const session = new CozeSession(
      sessionOptions({
        clock,
        tokenStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v), removeItem: (k) => void storage.delete(k) },
      }),
    );
    expect(session.getSnapshot().status).toBe('signed-in');
    unmount = session.mount();
    await expect(session.getToken()).resolves.toBe('at');
    await clock.advance(10_000);
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(session.getSnapshot().error?.code).toBe('session_expired');
    expect(storage.size).toBe(0);
  });

  it('rejects getToken with login_required when signed out', async () => {
    const { session } = setup();
    await expect(session.getToken()).rejects.toMatchObject({ code: 'login_required' });
  });

  it('drops a corrupt stored record instead of trusting it', () => {
    fake.reset();
    sessionStorage.setItem(`coze-auth.tokens.${TEST_CLIENT_ID}`, '{"accessToken": 42');
    const session = new CozeSession(sessionOptions());
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(sessionStorage.getItem(`coze-auth.tokens.${TEST_CLIENT_ID}`)).toBeNull();
  });

  it('memory storage forgets on reload; sessionStorage keeps the session', async () => {
    const { session, model, options } = setup(900, { tokenStorage: 'memory' });
    await signIn(session, model, options.navigate);
    expect(new CozeSession(sessionOptions({ tokenStorage: 'memory' })).getSnapshot().status).toBe('signed-out');
    const persistent = setup(900);
    await signIn(persistent.session, persistent.model, persistent.options.navigate);
    expect(new CozeSession(sessionOptions()).getSnapshot().status).toBe('signed-in');
  });

  it('leaves no timers or listeners after unmount, and tolerates StrictMode double mounts', async () => {
    const { session, model, options, clock } = setup(60);
    await signIn(session, model, options.navigate);
    const add = vi.spyOn(window, 'addEventListener');
    const remove = vi.spyOn(window, 'removeEventListener');
    const first = session.mount();
    first();
    const second = session.mount();
    expect(clock.pendingTimers()).toBe(1);
    second();
    second(); // idempotent
    expect(clock.pendingTimers()).toBe(0);
    expect(remove.mock.calls.length).toBe(add.mock.calls.length);
    const refreshes = model.counters.tokenRefresh;
    await clock.advance(3_600_000);
    expect(model.counters.tokenRefresh).toBe(refreshes);
  });

  it('logout clears tokens and emits signed-out', async () => {
    const { session, model, options, events } = setup(900);
    await signIn(session, model, options.navigate);
    session.logout();
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', accessToken: undefined, error: undefined });
    expect(sessionStorage.getItem(`coze-auth.tokens.${TEST_CLIENT_ID}`)).toBeNull();
    expect(events.at(-1)).toEqual({ type: 'signed-out', reason: 'logout', error: undefined });
  });
});

describe('CozeSession snapshots', () => {
  beforeEach(() => {
    fake.reset();
  });
  it('keeps the same snapshot object until something changes', async () => {
    const session = new CozeSession(sessionOptions());
    const listener = vi.fn();
    session.subscribe(listener);
    const a = session.getSnapshot();
    session.clearError();
    expect(session.getSnapshot()).toBe(a);
    expect(listener).not.toHaveBeenCalled();
  });
});
