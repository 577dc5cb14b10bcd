// @vitest-environment node
// The knobs that make the fake Coze misbehave like the real world: a clock that disagrees with the
// browser's, a slow token endpoint, and an outage that lasts until it is cleared.
import { describe, expect, it } from 'vitest';
import { NETWORK_ERROR, TEST_CLIENT_ID, type CozeTokenResponse } from '../../src/testing/index';
import { apiRequest, authorizeCode, createTestModel, exchangeBody, expectOAuthError, expectUnauthorized, refresh, refreshBody, respond, signIn, T0, tokenRequest } from './modelHarness';

const HOUR = 3_600_000;
const json = async (response: Response) => (await response.json()) as CozeTokenResponse;

/** Milliseconds `work` takes on the real clock. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

describe('clock offset', () => {
  it('issues expires_in on Coze\'s clock: clockOffsetMs shifts the absolute expiry', async () => {
    const behind = createTestModel({ clockOffsetMs: -HOUR }).model;
    const ahead = createTestModel({ clockOffsetMs: HOUR }).model;
    expect((await signIn(behind)).expires_in).toBe(Math.floor((T0 - HOUR) / 1000) + 900);
    expect((await signIn(ahead)).expires_in).toBe(Math.floor((T0 + HOUR) / 1000) + 900);
    // issueTokens and refreshes too.
    const seeded = behind.issueTokens({ clientId: TEST_CLIENT_ID });
    expect(seeded.expires_in).toBe(Math.floor((T0 - HOUR) / 1000) + 900);
    expect((await json(await refresh(ahead, (await signIn(ahead)).refresh_token))).expires_in).toBe(Math.floor((T0 + HOUR) / 1000) + 900);
  });

  it('setClockOffset moves Coze\'s clock at once, for tokens already issued: access tokens expire on Coze\'s clock', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    expect(tokens.expires_in).toBe(Math.floor(T0 / 1000) + 900);
    // The test's clock has not moved; Coze's clock is 900 s ahead now: the token is expired for Coze.
    model.setClockOffset(900_000);
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', tokens.access_token)));
    model.setClockOffset(899_000);
    expect((await respond(model, apiRequest('/v1/users/me', tokens.access_token))).status).toBe(200);
    // A token issued while Coze is an hour behind lives 900 s on Coze's clock, whatever the test's clock says.
    model.setClockOffset(-HOUR);
    const behind = await signIn(model);
    expect(behind.expires_in).toBe(Math.floor((T0 - HOUR) / 1000) + 900);
    expect((await respond(model, apiRequest('/v1/users/me', behind.access_token))).status).toBe(200);
    model.setClockOffset(-HOUR + 900_000);
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', behind.access_token)));
  });

  it('expires refresh tokens and authorization codes on Coze\'s clock', async () => {
    const { model } = createTestModel({ refreshTokenTtlSeconds: 100 });
    const tokens = await signIn(model);
    const code = await authorizeCode(model);
    model.setClockOffset(100_000);
    const refreshed = await expectOAuthError(await refresh(model, tokens.refresh_token), 400, 'invalid_grant');
    expect(refreshed.error_message).toMatch(/expired/);
    // Codes live 60 s.
    const exchanged = await expectOAuthError(await respond(model, tokenRequest(exchangeBody(code))), 400, 'invalid_grant');
    expect(exchanged.error_message).toMatch(/expired/);
  });

  it('keeps the request log on the test\'s clock, and log ids on Coze\'s', async () => {
    const { model, clock } = createTestModel({ clockOffsetMs: -24 * HOUR });
    await clock.advance(1_000);
    const response = await respond(model, apiRequest('/v1/users/me'));
    expect(model.requestLog.map((entry) => entry.time)).toEqual([T0 + 1_000]);
    // T0 is 2025-06-15; a day behind, Coze stamps its log ids 2025-06-14.
    expect(response.headers.get('x-tt-logid')).toMatch(/^20250614/);
  });

  it('reset() restores the offset of the options; nonsense offsets are refused', async () => {
    const { model } = createTestModel({ clockOffsetMs: HOUR });
    model.setClockOffset(0);
    model.reset();
    expect((await signIn(model)).expires_in).toBe(Math.floor((T0 + HOUR) / 1000) + 900);
    expect(() => model.setClockOffset(Number.NaN)).toThrow(RangeError);
    expect(() => model.setClockOffset(Infinity)).toThrow(RangeError);
    expect(() => createTestModel({ clockOffsetMs: Number.NaN })).toThrow(RangeError);
  });
});

describe('token endpoint latency', () => {
  it('setTokenLatency(ms, "refresh") slows refreshes only: not code exchanges, not API calls', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    model.setTokenLatency(120, 'refresh');
    const slow = await timed(() => refresh(model, tokens.refresh_token));
    expect(slow.value.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(110);
    const code = await authorizeCode(model);
    const exchange = await timed(() => respond(model, tokenRequest(exchangeBody(code))));
    expect(exchange.value.status).toBe(200);
    expect(exchange.ms).toBeLessThan(100);
    const api = await timed(() => respond(model, apiRequest('/v1/users/me', tokens.access_token)));
    expect(api.ms).toBeLessThan(100);
  });

  it('tokenLatencyMs as a number slows every token request; per grant, only that grant', async () => {
    const all = createTestModel({ tokenLatencyMs: 120 }).model;
    const code = await authorizeCode(all);
    const exchange = await timed(() => respond(all, tokenRequest(exchangeBody(code))));
    expect(exchange.value.status).toBe(200);
    expect(exchange.ms).toBeGreaterThanOrEqual(110);
    const unreadable = await timed(() => respond(all, tokenRequest({ grant_type: 'password' })));
    expect(unreadable.ms).toBeGreaterThanOrEqual(110);

    const perGrant = createTestModel({ tokenLatencyMs: { exchange: 120 } }).model;
    const tokens = (await timed(() => signIn(perGrant))).value;
    const fast = await timed(() => refresh(perGrant, tokens.refresh_token));
    expect(fast.ms).toBeLessThan(100);
  });

  it('acts on a slow request when its answer is produced: the refresh rotates then, on the clock of then', async () => {
    const { model, clock } = createTestModel();
    const tokens = await signIn(model);
    model.setTokenLatency(80, 'refresh');
    const pending = refresh(model, tokens.refresh_token);
    // While the answer is delayed, time passes: the new expiry counts from the answer.
    await clock.advance(10_000);
    const rotated = await json(await pending);
    expect(rotated.expires_in).toBe(Math.floor((T0 + 10_000) / 1000) + 900);
    expect(model.requestLog.at(-1)).toMatchObject({ kind: 'token-refresh', status: 200, time: T0 + 10_000 });
    // The slow refresh did rotate: the old refresh token is spent (presenting it revokes the sign-in).
    model.setTokenLatency(0);
    await expectOAuthError(await refresh(model, tokens.refresh_token), 400, 'invalid_grant');
  });

  it('a sign-out on Coze\'s side during a slow refresh wins: the answer is invalid_grant', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    model.setTokenLatency(80);
    const pending = refresh(model, tokens.refresh_token);
    expect(model.revokeSession(tokens.access_token)).toBe(true);
    await expectOAuthError(await pending, 400, 'invalid_grant');
  });

  it('adds to latencyMs; reset() restores the options; nonsense is refused', async () => {
    const { model } = createTestModel({ latencyMs: 50, tokenLatencyMs: { refresh: 60 } });
    const tokens = await signIn(model);
    const both = await timed(() => refresh(model, tokens.refresh_token));
    expect(both.ms).toBeGreaterThanOrEqual(100);
    model.setLatency(0);
    model.setTokenLatency(0);
    model.reset();
    const again = await signIn(model);
    const restored = await timed(() => refresh(model, again.refresh_token));
    expect(restored.ms).toBeGreaterThanOrEqual(100);
    expect(() => model.setTokenLatency(-1)).toThrow(RangeError);
    expect(() => model.setTokenLatency(Infinity, 'refresh')).toThrow(RangeError);
    expect(() => model.setTokenLatency(1, 'api' as 'refresh')).toThrow(TypeError);
  });
});

describe('outages: failNext(kind, failure, Infinity) and clearFailures()', () => {
  it('fails every refresh until cleared, counting each attempt; the refresh token survives the outage', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    model.resetCounters();
    model.failNext('refresh', { status: 503 }, Infinity);
    for (let i = 0; i < 25; i += 1) await expectOAuthError(await refresh(model, tokens.refresh_token), 503, 'server_error');
    // Other requests are not part of the outage.
    expect((await respond(model, apiRequest('/v1/users/me', tokens.access_token))).status).toBe(200);
    expect(model.counters).toMatchObject({ tokenRefresh: 25, tokenErrors: 25, api: 1 });
    expect(model.requestLog.filter((entry) => entry.kind === 'token-refresh').every((entry) => entry.status === 503)).toBe(true);

    model.clearFailures();
    expect((await refresh(model, tokens.refresh_token)).status).toBe(200);
    expect(model.counters).toMatchObject({ tokenRefresh: 26, tokenErrors: 25 });
  });

  it('drops connections until cleared, and counts the dropped requests', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    model.resetCounters();
    model.failNext('token', 'network', Infinity);
    for (let i = 0; i < 3; i += 1) expect(await model.handle(tokenRequest(refreshBody(tokens.refresh_token)))).toBe(NETWORK_ERROR);
    expect(model.counters).toMatchObject({ tokenRefresh: 3, tokenErrors: 3 });
    expect(model.requestLog.map((entry) => entry.status)).toEqual([0, 0, 0]);
    model.clearFailures('token');
    expect((await refresh(model, tokens.refresh_token)).status).toBe(200);
  });

  it('clearFailures(kind) clears only what was queued for that kind', async () => {
    const { model } = createTestModel();
    const tokens = await signIn(model);
    model.failNext('api', { status: 500 }, Infinity);
    model.failNext('refresh', { status: 502 }, Infinity);
    model.clearFailures('api');
    expect((await respond(model, apiRequest('/v1/users/me', tokens.access_token))).status).toBe(200);
    await expectOAuthError(await refresh(model, tokens.refresh_token), 502, 'server_error');
    // failRefreshWith is cleared too.
    model.clearFailures();
    model.failRefreshWith('invalid_grant');
    model.clearFailures('refresh');
    expect((await refresh(model, tokens.refresh_token)).status).toBe(200);
  });

  it('takes Infinity but no other non-integer count', () => {
    const { model } = createTestModel();
    expect(() => model.failNext('api', 'network', Infinity)).not.toThrow();
    expect(() => model.failNext('api', 'network', -Infinity)).toThrow(RangeError);
    expect(() => model.failNext('api', 'network', Number.NaN)).toThrow(RangeError);
    expect(() => model.failNext('api', 'network', 1.5)).toThrow(RangeError);
  });
});
