// Defects of one kind: an async step that resumes as if nothing happened while it waited.
// Numbers follow the issue. Most of these failed on the session before the lifecycle rewrite;
// the few that did not (e.g. `//host` refusals) guard behaviour that must stay.
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeAPI } from '@coze/api';
import { createTabChannel } from '../../src/core/browser/tabChannel';
import { webLocks } from '../../src/core/browser/lock';
import { getCozeClient } from '../../src/core/cozeClient';
import { CozeAuthError } from '../../src/core/errors';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { createMemoryStorage, type TokenStorageAdapter } from '../../src/core/storage/storageAdapters';
import { redact } from '../../src/core/protocol/tokenClient';
import { TEST_API_ORIGIN, TEST_CLIENT_ID, createTestClock, createTestTabLocks, flushAsync, testRedirectUri } from '../../src/testing/index';
import { gatedFetch, rejection, sessionOptions, signIn, startSignIn, setupFakeCoze, signedInSession } from '../helpers/harness';

const fake = setupFakeCoze();
const START = Date.UTC(2026, 10, 25, 9, 0, 0);
const TOKEN_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;
const TOKEN_URL = `${TEST_API_ORIGIN}/api/permission/oauth2/token`;

function recordEvents(session: CozeSession): CozeAuthEvent[] {
  const events: CozeAuthEvent[] = [];
  session.onEvent((event) => events.push(event));
  return events;
}

const unmounts: (() => void)[] = [];
afterEach(() => {
  unmounts.splice(0).forEach((stop) => stop());
  vi.restoreAllMocks();
  localStorage.clear();
  sessionStorage.clear();
});

describe('1. sign-out sticks', () => {
  it('a refresh answer that lands after logout writes nothing and signs nobody back in', async () => {
    const gate = gatedFetch();
    const channel = createTabChannel(`coze-auth.${TEST_CLIENT_ID}`, TOKEN_KEY);
    const posted = vi.spyOn(channel, 'post');
    const { clock, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60, fetch: gate.fetch, tokenStorage: 'localStorage', tabChannel: channel, lock: createTestTabLocks() });
    posted.mockClear();
    clock.set(START + 55_000);
    gate.hold();
    const refreshing = session.getToken().catch((error: unknown) => error);
    await flushAsync();
    expect(gate.pending()).toBe(1);
    session.logout();
    await gate.release();
    expect(await refreshing).toMatchObject({ code: 'login_required' });
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(posted.mock.calls.map(([message]) => message.type)).toEqual(['signed-out']);
  });

  it('a code exchange that lands after logout does not sign in', async () => {
    const model = fake.reset();
    const gate = gatedFetch();
    const options = sessionOptions({ fetch: gate.fetch });
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, model, options.navigate);
    gate.hold();
    const callback = session.handleRedirectCallback(callbackUrl).catch((error: unknown) => error);
    await flushAsync();
    session.logout();
    await gate.release();
    expect(await callback).toMatchObject({ code: 'login_required' });
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it('an older refresh answer cannot overwrite a newer sign-in', async () => {
    const clock = createTestClock(START);
    const model = fake.reset({ now: clock.now, accessTokenTtlSeconds: 60 });
    // Only refresh requests wait: the new sign-in's exchange lands first, the old refresh after it.
    let releaseRefresh: () => void = () => undefined;
    const refreshHeld = new Promise<void>((resolve) => (releaseRefresh = resolve));
    let holdRefreshes = false;
    const fetch = async (input: string, init: RequestInit) => {
      if (holdRefreshes && String(init.body).includes('"refresh_token"')) await refreshHeld;
      return globalThis.fetch(input, init);
    };
    const options = sessionOptions({ clock, fetch });
    const session = new CozeSession(options);
    await signIn(session, model, options.navigate);
    const older = session.getSnapshot().sessionId;
    clock.set(START + 55_000);
    holdRefreshes = true;
    const lateRefresh = session.getToken().catch((error: unknown) => error);
    await flushAsync();
    const callbackUrl = await startSignIn(session, model, options.navigate);
    await session.handleRedirectCallback(callbackUrl);
    const newer = session.getSnapshot().sessionId;
    expect(newer).not.toBe(older);
    releaseRefresh();
    await lateRefresh;
    await flushAsync();
    expect(session.getSnapshot().sessionId).toBe(newer);
    expect(JSON.parse(sessionStorage.getItem(TOKEN_KEY)!).sessionId).toBe(newer);
  });
});

describe('2. a browser clock hours off Coze’s', () => {
  it('an hour ahead: no refresh loop, a sane lifetime is assumed and the offset learned', async () => {
    const clock = createTestClock(START);
    // Coze's clock is an hour behind the browser's: every expires_in looks long past.
    const model = fake.reset({ now: () => clock.now() - 3_600_000, accessTokenTtlSeconds: 900 });
    const options = sessionOptions({ clock });
    const session = new CozeSession(options);
    await signIn(session, model, options.navigate);
    unmounts.push(session.mount());
    const { expiresAt } = session.getSnapshot();
    expect(expiresAt! - clock.now()).toBeGreaterThanOrEqual(60_000);
    await clock.advance(10_000);
    expect(model.counters.tokenRefresh).toBe(0);
    await clock.advance(900_000); // a whole lifetime: about one refresh, not thousands
    expect(model.counters.tokenRefresh).toBeLessThanOrEqual(2);
    expect(model.counters.tokenErrors).toBe(0);
    expect(session.getSnapshot().status).toBe('signed-in');
  });

  it('an hour behind: one 401 renews the token and retries the call; later calls see no 401', async () => {
    const clock = createTestClock(START);
    const model = fake.reset({ now: () => clock.now() + 3_600_000, accessTokenTtlSeconds: 60 });
    const options = sessionOptions({ clock });
    const session = new CozeSession(options);
    await signIn(session, model, options.navigate);
    const client = getCozeClient(session, { axiosOptions: { adapter: 'fetch' } });
    await expect(client.users.me()).resolves.toMatchObject({ user_id: expect.any(String) });
    clock.set(START + 61_000); // dead on Coze's clock; the browser still thinks it has an hour
    await expect(client.users.me()).resolves.toMatchObject({ user_id: expect.any(String) });
    expect(model.counters.apiUnauthorized).toBe(1);
    expect(model.counters.tokenRefresh).toBe(1);
    // The learned offset makes the next token's lifetime right: refreshed before Coze rejects it.
    expect(session.getSnapshot().expiresAt! - clock.now()).toBeLessThanOrEqual(61_000);
    for (let minute = 1; minute <= 5; minute++) {
      clock.set(START + 61_000 + minute * 60_000);
      await client.users.me();
    }
    expect(model.counters.apiUnauthorized).toBe(1);
  });
});

describe('the 401 rule', () => {
  it('concurrent calls that all get 401 share one refresh, and each is retried once', async () => {
    const { model, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 900 });
    const client = getCozeClient(session, { axiosOptions: { adapter: 'fetch' } });
    model.revokeSession(session.getSnapshot().accessToken!); // kills access and refresh token
    const calls = await Promise.allSettled(Array.from({ length: 5 }, () => client.users.me()));
    expect(calls.every((call) => call.status === 'rejected')).toBe(true);
    expect(model.counters.tokenRefresh).toBe(1); // one renewal attempt (rejected: the grant is dead)
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'invalid_grant' } });
  });

  it('a second 401 after a fresh token is final and surfaces as the API error', async () => {
    const { model, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 900 });
    const client = getCozeClient(session, { axiosOptions: { adapter: 'fetch' } });
    fake.server.use(http.get(`${TEST_API_ORIGIN}/v1/users/me`, () => HttpResponse.json({ code: 4100, msg: 'no' }, { status: 401 })));
    const error = await client.users.me().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 401 });
    expect(model.counters.tokenRefresh).toBe(1);
  });
});

describe('3. backoff holds', () => {
  it('while a retry is scheduled, callers and wake events send nothing more', async () => {
    const { clock, model, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60 });
    unmounts.push(session.mount());
    model.failNext('refresh', { status: 503 }, 100);
    clock.set(START + 50_000); // due, still valid
    const token = session.getSnapshot().accessToken;
    await expect(session.getToken()).resolves.toBe(token);
    expect(model.counters.tokenRefresh).toBe(1);
    for (let i = 0; i < 20; i++) {
      await expect(session.getToken()).resolves.toBe(token);
      window.dispatchEvent(new Event('focus'));
      document.dispatchEvent(new Event('visibilitychange'));
    }
    await flushAsync();
    expect(model.counters.tokenRefresh).toBe(1);
    await clock.advance(1_300); // the first backoff step (1 s ± 20 %)
    expect(model.counters.tokenRefresh).toBe(2);
    clock.set(START + 61_000); // expired: the pending error, still no request
    await expect(session.getToken()).rejects.toMatchObject({ code: 'server_error' });
    expect(model.counters.tokenRefresh).toBe(2);
  });
});

describe('4. storage that throws cannot lose a rotation', () => {
  it('keeps the rotated tokens in memory, reports it once, and never spends a refresh token twice', async () => {
    const clock = createTestClock(START);
    const model = fake.reset({ now: clock.now, accessTokenTtlSeconds: 60 });
    const memory = createMemoryStorage();
    let broken = false;
    const storage: TokenStorageAdapter = {
      getItem: (key) => memory.getItem(key),
      setItem: (key, value) => {
        if (broken) throw new DOMException('full', 'QuotaExceededError');
        memory.setItem(key, value);
      },
      removeItem: (key) => memory.removeItem(key),
    };
    const options = sessionOptions({ clock, tokenStorage: storage });
    const session = new CozeSession(options);
    const events = recordEvents(session);
    await signIn(session, model, options.navigate);
    broken = true;
    for (let cycle = 1; cycle <= 3; cycle++) {
      clock.set(clock.now() + 50_000);
      await session.getToken();
    }
    expect(model.counters.tokenRefresh).toBe(3);
    expect(model.counters.tokenErrors).toBe(0);
    expect(session.getSnapshot().status).toBe('signed-in');
    const failures = events.filter((event) => event.type === 'storage-failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ error: { code: 'storage_unavailable' } });
  });
});

describe('8. no storage survives the redirect', () => {
  it('falls back to localStorage for the pending sign-in when sessionStorage throws, and completes', async () => {
    const model = fake.reset();
    const options = sessionOptions({ tokenStorage: 'memory' });
    const session = new CozeSession(options);
    vi.spyOn(window, 'sessionStorage', 'get').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const callbackUrl = await startSignIn(session, model, options.navigate);
    expect(Object.keys(localStorage).some((key) => key.startsWith(`coze-auth.tx.${TEST_CLIENT_ID}.`))).toBe(true);
    await session.handleRedirectCallback(callbackUrl);
    expect(session.getSnapshot().status).toBe('signed-in');
    expect(Object.keys(localStorage).some((key) => key.startsWith('coze-auth.tx.'))).toBe(false);
  });

  it('fails login() at once with storage_unavailable when neither storage works, without leaving', async () => {
    fake.reset();
    const options = sessionOptions({ tokenStorage: 'memory' });
    const session = new CozeSession(options);
    const deny = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    vi.spyOn(window, 'sessionStorage', 'get').mockImplementation(deny);
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(deny);
    const error = await rejection(session.login());
    expect(error.code).toBe('storage_unavailable');
    expect(options.navigate).not.toHaveBeenCalled();
  });
});

describe('9. one client never consumes another client’s pending sign-in', () => {
  it('answers state_mismatch and leaves the other client’s transaction for it', async () => {
    const model = fake.reset({
      clients: [
        { clientId: TEST_CLIENT_ID, redirectUris: [testRedirectUri()] },
        { clientId: 'other-client', redirectUris: [testRedirectUri()] },
      ],
    });
    const mine = sessionOptions();
    const session = new CozeSession(mine);
    const other = new CozeSession(sessionOptions({ clientId: 'other-client' }));
    const callbackUrl = await startSignIn(session, model, mine.navigate);
    const error = await rejection(other.handleRedirectCallback(callbackUrl));
    expect(error.code).toBe('state_mismatch');
    expect(model.counters.tokenExchange).toBe(0);
    await session.handleRedirectCallback(callbackUrl);
    expect(session.getSnapshot().status).toBe('signed-in');
  });
});

describe('10. a refused Web Lock', () => {
  it('degrades to an unlocked refresh instead of escaping as a raw DOMException', async () => {
    const refuse = () => Promise.reject(new DOMException('opaque origin', 'SecurityError'));
    vi.stubGlobal('navigator', { ...navigator, locks: { request: refuse } });
    try {
      await expect(webLocks.tryHold('x')).resolves.toEqual(expect.any(Function));
      await expect(webLocks.whenFree('x')).resolves.toBeUndefined();
      const { clock, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60, tokenStorage: 'localStorage' });
      clock.set(START + 55_000);
      const before = session.getSnapshot().accessToken;
      await expect(session.getToken()).resolves.not.toBe(before);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('11. a refresh answer without refresh_token', () => {
  it('keeps the previous refresh token (RFC 6749 §6)', async () => {
    const { clock, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60 });
    const before = JSON.parse(sessionStorage.getItem(TOKEN_KEY)!).refreshToken;
    fake.server.use(
      http.post(TOKEN_URL, () => HttpResponse.json({ access_token: 'at-2', expires_in: Math.floor(clock.now() / 1000) + 60 }), { once: true }),
    );
    clock.set(START + 55_000);
    await expect(session.getToken()).resolves.toBe('at-2');
    expect(JSON.parse(sessionStorage.getItem(TOKEN_KEY)!).refreshToken).toBe(before);
  });

  it('a 200 answer without expires_in keeps the rotated refresh token it carried', async () => {
    const { clock, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60 });
    fake.server.use(http.post(TOKEN_URL, () => HttpResponse.json({ access_token: 'at-2', refresh_token: 'rt-2' }), { once: true }));
    clock.set(START + 55_000);
    await expect(session.getToken()).resolves.toBe('at-2');
    expect(JSON.parse(sessionStorage.getItem(TOKEN_KEY)!).refreshToken).toBe('rt-2');
    expect(session.getSnapshot().expiresAt! - clock.now()).toBeGreaterThan(30_000);
  });
});

describe('13. returnTo that only looks same-origin', () => {
  it.each(['/.//evil.example', '/%2e//evil.example', '/a/..//evil.example', '//evil.example', '/\\evil.example'])(
    'login() refuses %s',
    async (returnTo) => {
      fake.reset();
      const options = sessionOptions();
      const session = new CozeSession(options);
      const error = await rejection(session.login({ returnTo }));
      expect(error.code).toBe('unsafe_return_to');
      expect(options.navigate).not.toHaveBeenCalled();
    },
  );

  it('refuses a same-origin absolute URL whose path starts with //', async () => {
    fake.reset();
    const options = sessionOptions();
    const session = new CozeSession(options);
    const error = await rejection(session.login({ returnTo: `${window.location.origin}/..//evil.example/x` }));
    expect(error.code).toBe('unsafe_return_to');
  });
});

describe('the rest', () => {
  it('invalid_token_response is transient, as documented', () => {
    expect(new CozeAuthError('invalid_token_response', 'garbled').isTransient).toBe(true);
  });

  it('an app listener that throws is reported, not taken for a refresh failure', async () => {
    const { clock, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60 });
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const events = recordEvents(session);
    session.onEvent((event) => {
      if (event.type === 'refreshed') throw new Error('analytics is down');
    });
    clock.set(START + 55_000);
    const before = session.getSnapshot().accessToken;
    await expect(session.getToken()).resolves.not.toBe(before);
    expect(events.map((event) => event.type)).toEqual(['refreshed']);
    expect(reported).toHaveBeenCalledOnce();
    expect(session.getSnapshot().error).toBeUndefined();
    vi.unstubAllGlobals();
  });

  it('redacts partial echoes of a secret in Coze’s messages', () => {
    const secret = 'rt_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
    expect(redact(`refresh token rt_9f8e7d6c5b4a... is invalid`, [secret])).toBe('refresh token [redacted] is invalid');
    expect(redact(`token ...5b4a39281706f5e4 revoked`, [secret])).not.toContain('5b4a3928');
    expect(redact('the grant is invalid', [secret])).toBe('the grant is invalid');
  });

  it('strips code and state from the address bar before anything is awaited', async () => {
    const model = fake.reset();
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, model, options.navigate);
    window.history.replaceState(null, '', callbackUrl);
    const done = session.handleRedirectCallback(callbackUrl);
    expect(window.location.search).toBe('');
    await done;
  });

  it('reports signing-in synchronously on a recognised callback page, and completes it on mount', async () => {
    const model = fake.reset();
    const first = sessionOptions();
    const callbackUrl = await startSignIn(new CozeSession(first), model, first.navigate);
    window.history.replaceState(null, '', callbackUrl);
    const options = sessionOptions();
    const session = new CozeSession(options);
    expect(session.getSnapshot().status).toBe('signing-in');
    unmounts.push(session.mount());
    await vi.waitFor(() => expect(session.getSnapshot().status).toBe('signed-in'));
    expect(model.counters.tokenExchange).toBe(1);
    expect(window.location.search).toBe('');
  });

  it('getToken() during a sign-in waits for it instead of answering login_required', async () => {
    const model = fake.reset();
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, model, options.navigate);
    const callback = session.handleRedirectCallback(callbackUrl);
    const token = await session.getToken();
    await callback;
    expect(token).toBe(session.getSnapshot().accessToken);
  });

  it('CozeAPI is the real client', () => {
    fake.reset();
    expect(getCozeClient(new CozeSession(sessionOptions()))).toBeInstanceOf(CozeAPI);
  });
});

describe('the 401 rule for streams', () => {
  const sse = (events: [string, unknown][]) =>
    new HttpResponse(events.map(([event, data]) => `event:${event}\ndata:${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`).join(''), {
      headers: { 'Content-Type': 'text/event-stream' },
    });

  it('a stream rejected with 401 before its first event is renewed and retried once', async () => {
    const { model, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 900 });
    const rejected = session.getSnapshot().accessToken!;
    const seen: string[] = [];
    fake.server.use(
      http.post(`${TEST_API_ORIGIN}/v3/chat`, ({ request }) => {
        const token = request.headers.get('authorization')?.replace('Bearer ', '') ?? '';
        seen.push(token);
        if (token === rejected) return HttpResponse.json({ code: 4100, msg: 'token expired' }, { status: 401 });
        return sse([
          ['conversation.message.delta', { role: 'assistant', type: 'answer', content: 'Hel' }],
          ['conversation.message.delta', { role: 'assistant', type: 'answer', content: 'lo' }],
          ['done', '[DONE]'],
        ]);
      }),
    );
    const client = getCozeClient(session);
    let text = '';
    for await (const part of await client.chat.stream({ bot_id: 'b', additional_messages: [] })) {
      if (part.event === 'conversation.message.delta') text += (part.data as { content: string }).content;
    }
    expect(text).toBe('Hello');
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(rejected);
    expect(model.counters.tokenRefresh).toBe(1);
  });

  it('a stream that fails after its first event is not sent again', async () => {
    const { model, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 900 });
    let calls = 0;
    fake.server.use(
      http.post(`${TEST_API_ORIGIN}/v3/chat`, () => {
        calls += 1;
        return sse([
          ['conversation.message.delta', { role: 'assistant', type: 'answer', content: 'Hel' }],
          ['error', { code: 4100, msg: 'token expired' }],
        ]);
      }),
    );
    const client = getCozeClient(session);
    const events: string[] = [];
    for await (const part of await client.chat.stream({ bot_id: 'b', additional_messages: [] })) events.push(part.event);
    expect(events).toEqual(['conversation.message.delta', 'error']);
    expect(calls).toBe(1);
    expect(model.counters.tokenRefresh).toBe(0);
  });
});
