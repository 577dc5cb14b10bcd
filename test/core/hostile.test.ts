// Hostile review of the session lifecycle. Every test here FAILS against the current code, and each
// failure is a real defect (see the comment above each test for the real-world consequence).
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getCozeClient, isCozeUnauthorized } from '../../src/core/cozeClient';
import { isCozeAuthError } from '../../src/core/errors';
import { CozeSession } from '../../src/core/session/CozeSession';
import { type TokenStorageAdapter } from '../../src/core/storage/storageAdapters';
import { TEST_API_ORIGIN, createTestClock, createTestTabLocks, flushAsync } from '../../src/testing/index';
import { gatedFetch, mapAdapter, sessionOptions, signIn, setupFakeCoze, signedInSession } from '../helpers/harness';

const fake = setupFakeCoze();
const START = Date.UTC(2026, 10, 25, 9, 0, 0);

const stops: (() => void)[] = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  localStorage.clear();
  sessionStorage.clear();
});

/** Settled state of a promise without awaiting it. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

describe('hostile: promises that never flushAsync', () => {
  // A token request whose connection never answers (mobile networks, captive portals, a proxy that
  // swallows the request). fetch has no timeout and the session sets none: the single-flight
  // refresh never settles, so getToken() — and every later getToken(), every API call through
  // getCozeClient(), every proactive refresh — hangs forever. No retry/backoff ever engages.
  it('a token request that never answers does not hang getToken() forever', async () => {
    const gate = gatedFetch({ refreshOnly: true });
    const { clock, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60, fetch: gate.fetch });
    stops.push(session.mount());
    gate.hold(); // the connection is accepted and never answered
    clock.set(START + 61_000); // expired: a refresh is needed
    const first = track(session.getToken());
    await flushAsync();
    expect(gate.pending()).toBe(1);
    await clock.advance(10 * 60_000); // ten minutes later
    const later = track(session.getToken());
    await flushAsync();
    expect(first.settled).toBe(true);
    expect(later.settled).toBe(true);
  });
});

describe('hostile: generations', () => {
  // The old generation's refresh promise stays in #refreshing after logout. A new sign-in in the same
  // tab then shares it: getToken() for the NEW session sends no request of its own, waits for the old
  // (dropped) answer, and then resolves the new session's token unrefreshed — here an expired one.
  it('a refresh still out from before logout does not stand in for the new sign-in’s refresh', async () => {
    const gate = gatedFetch({ refreshOnly: true });
    const { clock, model, options, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60, fetch: gate.fetch });
    clock.set(START + 55_000);
    gate.hold();
    void session.getToken().catch(() => undefined); // the old sign-in's refresh, slow
    await flushAsync();
    expect(gate.pending()).toBe(1);
    session.logout();
    gate.hold();
    await signIn(session, model, options.navigate); // a new sign-in (its code exchange is not gated)
    const fresh = session.getSnapshot();
    expect(fresh.status).toBe('signed-in');
    clock.set(clock.now() + 61_000); // the new sign-in's access token has expired
    const token = track(session.getToken());
    await flushAsync();
    // The new sign-in must send its own refresh: two refresh requests are out now.
    expect(gate.pending()).toBe(2);
    await gate.release();
    await flushAsync();
    expect(token.settled).toBe(true);
    expect(token.value).not.toBe(fresh.accessToken);
  });
});

describe('hostile: storage that throws', () => {
  // "A storage that cannot delete still gets signed out in memory" — but only until the next
  // getToken()/focus/storage re-read: the undeleted record is adopted as "another tab's sign-in"
  // and the user is signed straight back in. Logout does not stick (shared custom adapter whose
  // removeItem fails: cookie-backed, encrypted, native-bridge adapters, or a locked IndexedDB shim).
  it('logout sticks when removeItem throws (shared storage)', async () => {
    const model = fake.reset();
    const items = new Map<string, string>();
    const storage: TokenStorageAdapter = {
      ...mapAdapter(items, true),
      removeItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    const options = sessionOptions({ tokenStorage: storage, lock: createTestTabLocks() });
    const session = new CozeSession(options);
    await signIn(session, model, options.navigate);
    stops.push(session.mount());
    session.logout();
    expect(session.getSnapshot().status).toBe('signed-out');
    window.dispatchEvent(new Event('focus'));
    const token = await session.getToken().catch((error: unknown) => error);
    expect(token).toMatchObject({ code: 'login_required' });
    expect(session.getSnapshot().status).toBe('signed-out');
  });

  // A read that throws (Firefox NS_ERROR_FILE_CORRUPTED, a SecurityError after the user changes
  // site-data settings, a custom adapter's transient failure) is taken for "another tab signed out":
  // the signed-in user is silently signed out although nothing happened to the session.
  it('a storage read that throws does not sign the user out (shared storage)', async () => {
    const clock = createTestClock(START);
    const model = fake.reset({ now: clock.now, accessTokenTtlSeconds: 900 });
    const items = new Map<string, string>();
    let readsFail = false;
    const storage: TokenStorageAdapter = {
      ...mapAdapter(items, true),
      getItem: (key) => {
        if (readsFail) throw new DOMException('corrupted', 'UnknownError');
        return items.get(key) ?? null;
      },
    };
    const options = sessionOptions({ clock, tokenStorage: storage, lock: createTestTabLocks() });
    const session = new CozeSession(options);
    await signIn(session, model, options.navigate);
    const token = session.getSnapshot().accessToken;
    readsFail = true;
    await expect(session.getToken()).resolves.toBe(token);
    expect(session.getSnapshot().status).toBe('signed-in');
  });
});

describe('hostile: clocks', () => {
  // learnFromRejection() takes ANY 401/4100 on a token that is still valid as proof that Coze's
  // clock is at that token's expiry. One stray 401 five seconds into a 15-minute token (Coze says
  // its OAuth changes take seconds to propagate) makes every later token "live" 5 s: the session
  // refreshes every ~4 s, forever (the offset is re-learned only from implausible answers and is
  // persisted with every token). A refresh storm from a single 401.
  it('one 401 early in a token’s life does not start a refresh storm', async () => {
    const clock = createTestClock(START);
    const model = fake.reset({ now: clock.now, accessTokenTtlSeconds: 900 }); // clocks agree
    const options = sessionOptions({ clock });
    const session = new CozeSession(options);
    await signIn(session, model, options.navigate);
    stops.push(session.mount());
    const client = getCozeClient(session, { axiosOptions: { adapter: 'fetch' } });
    clock.set(START + 5_000);
    fake.server.use(
      http.get(`${TEST_API_ORIGIN}/v1/users/me`, () => HttpResponse.json({ code: 4100, msg: 'token invalid' }, { status: 401 }), {
        once: true,
      }),
    );
    await expect(client.users.me()).resolves.toMatchObject({ user_id: expect.any(String) });
    expect(model.counters.tokenRefresh).toBe(1); // the renewal the 401 asked for
    await clock.advance(5 * 60_000); // a third of a token's lifetime: no refresh is due
    expect(model.counters.tokenRefresh).toBeLessThanOrEqual(2);
  });
});

describe('hostile: tabs', () => {
  // A tab unmounting its provider while its refresh is on the wire (route-level provider, a
  // micro-frontend unmount, a re-keyed provider) releases the rotation lock at once
  // (TabSync.stop → releaseRotation) although the request will still spend the refresh token. Another
  // tab then claims the same rotation and spends the same refresh token: Coze sees it twice and
  // revokes the family — everyone is logged out at the next refresh.
  it('unmounting mid-refresh keeps the rotation claimed until the spend is over', async () => {
    const lock = createTestTabLocks();
    const gate = gatedFetch({ refreshOnly: true });
    const { clock, model, session: a } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60, lock, tokenStorage: 'localStorage', fetch: gate.fetch });
    const b = new CozeSession(sessionOptions({ clock, lock, tokenStorage: 'localStorage' }));
    const stopA = a.mount();
    stops.push(b.mount());
    clock.set(START + 50_000);
    gate.hold();
    const fromA = a.getToken().catch((error: unknown) => error);
    await flushAsync();
    expect(gate.pending()).toBe(1); // A is spending rotation 0
    stopA(); // A's provider unmounts; its request is still out
    const fromB = b.getToken().catch((error: unknown) => error);
    await flushAsync();
    await gate.release();
    await Promise.all([fromA, fromB]);
    await flushAsync();
    expect(model.counters.tokenErrors).toBe(0); // no refresh token was presented twice
  });

  // The per-rotation lock only protects the LATEST spent rotation (the spender releases rotation N
  // when it claims N+1). A sessionStorage tab whose copy is two or more rotations old — a tab
  // restored with Ctrl+Shift+T (sessionStorage is restored), a duplicate of a tab that slept — finds
  // its rotation's lock free and spends a long-dead refresh token before the sync-request answer
  // can reach it. Coze revokes the family, and the stale tab's `signed-out` broadcast (same
  // sessionId) signs the healthy tab out too.
  it('a restored sessionStorage tab two rotations behind does not spend a dead refresh token', async () => {
    const lock = createTestTabLocks();
    const aItems = new Map<string, string>();
    const { clock, model, session: a } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60, lock, tokenStorage: mapAdapter(aItems, false) });
    const bItems = new Map(aItems); // B's sessionStorage: a copy at rotation 0
    stops.push(a.mount());
    for (let cycle = 1; cycle <= 2; cycle++) {
      clock.set(clock.now() + 50_000);
      await a.getToken();
    }
    expect(model.counters.tokenRefresh).toBe(2);
    // B comes back (restored tab) and the app asks for a token right away.
    const b = new CozeSession(sessionOptions({ clock, lock, tokenStorage: mapAdapter(bItems, false) }));
    stops.push(b.mount());
    const fromB = b.getToken().catch((error: unknown) => error);
    await fromB;
    await flushAsync();
    expect(model.counters.tokenErrors).toBe(0);
    expect(a.getSnapshot().status).toBe('signed-in');
  });

  // Without BroadcastChannel (older Safari, some webviews) the fallback is the `storage` event,
  // which sessionStorage never fires across tabs. A duplicated sessionStorage tab that needs a
  // refresh while the other tab is spending the same rotation waits for a hand-over that cannot
  // come: its getToken() hangs until the other tab's NEXT rotation frees the lock, and then it
  // spends the already-spent refresh token, revoking the family.
  it('without BroadcastChannel a duplicated sessionStorage tab neither hangs nor spends a spent token', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const lock = createTestTabLocks();
    const aItems = new Map<string, string>();
    const { clock, model, session: a } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60, lock, tokenStorage: mapAdapter(aItems, false) });
    const b = new CozeSession(sessionOptions({ clock, lock, tokenStorage: mapAdapter(new Map(aItems), false) }));
    stops.push(a.mount(), b.mount());
    clock.set(START + 50_000);
    const fromA = a.getToken();
    const fromB = track(b.getToken());
    await fromA;
    await clock.advance(60_000); // A's next rotation happens meanwhile
    await flushAsync();
    expect(model.counters.tokenErrors).toBe(0);
    expect(a.getSnapshot().status).toBe('signed-in');
    expect(fromB.settled).toBe(true);
  });
});


describe('hostile: backoff', () => {
  // "During backoff no extra requests whatever the callers/wake events/tabs." An `online` event
  // bypasses the backoff delay outright, and after that request fails the next `online` does it
  // again: a flapping connection (Wi-Fi roaming, a VPN reconnecting, a laptop on a train) sends one
  // token request per flap, however often, and the exponential backoff never applies. Here ten
  // flaps in ten seconds send ten extra token requests to an endpoint that is already failing.
  it('a flapping connection does not defeat the backoff', async () => {
    const { clock, model, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60 });
    stops.push(session.mount());
    model.failNext('refresh', 'network', 100);
    clock.set(START + 50_000);
    await session.getToken(); // first failure: backoff, still-valid token
    expect(model.counters.tokenRefresh).toBe(1);
    for (let flap = 0; flap < 10; flap++) {
      clock.set(clock.now() + 1_000);
      window.dispatchEvent(new Event('online'));
      await flushAsync();
    }
    // Backoff steps of 1 s, 2 s, 4 s, 8 s (±20 %) fit at most 3–4 retries into these 10 s.
    expect(model.counters.tokenRefresh).toBeLessThanOrEqual(5);
  });
});

describe('hostile: the 401 rule in getCozeClient', () => {
  // When the renewal a 401 asked for fails (grant revoked or rotated away, or the user signed out
  // while it ran), the CozeAuthError is thrown from inside the axios instance, and @coze/api's
  // handleError turns it into an `InternalServerError` with status 500. The app sees "Coze answered
  // HTTP 500" instead of "sign in again": `isCozeAuthError(e, 'invalid_grant')` and
  // `isCozeUnauthorized(e)` are both false, so error UIs show a server outage and useCozeQuery's
  // retry predicate retries it as a transient failure.
  it('a 401 whose renewal is rejected surfaces as an auth error, not as HTTP 500', async () => {
    const { model, session } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 900 });
    const client = getCozeClient(session, { axiosOptions: { adapter: 'fetch' } });
    model.revokeSession(session.getSnapshot().accessToken!); // e.g. the user revoked the app on Coze
    const error = (await client.users.me().catch((caught: unknown) => caught)) as { status?: number };
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'invalid_grant' } });
    expect(error.status).not.toBe(500);
    expect(isCozeAuthError(error, 'invalid_grant') || isCozeUnauthorized(error)).toBe(true);
  });
});

describe('found by the lifecycle e2e (L1, L2)', () => {
  // L2: while the renewal a 401 asked for is on the wire, getToken() kept handing out the token
  // Coze had just rejected: every poll in that window got a 401 of its own.
  it('after a 401, callers wait for the renewal instead of getting the rejected token again', async () => {
    const clock = createTestClock(START);
    const model = fake.reset({ now: () => clock.now() + 3_600_000, accessTokenTtlSeconds: 60 });
    const gate = gatedFetch({ refreshOnly: true });
    const options = sessionOptions({ clock, fetch: gate.fetch });
    const session = new CozeSession(options);
    await signIn(session, model, options.navigate);
    const rejected = session.getSnapshot().accessToken!;
    clock.set(START + 61_000);
    gate.hold();
    const renewal = session.handleUnauthorized(rejected);
    await flushAsync();
    const during = track(session.getToken());
    await flushAsync();
    expect(during.settled).toBe(false); // it waits for the renewal…
    await gate.release();
    const fresh = await renewal;
    expect(fresh).not.toBe(rejected);
    expect(during.value).toBe(fresh); // …and gets the new token, never the rejected one
  });

  // L1: a tab took up another tab's sign-in from the channel message, then read its own copy of
  // localStorage before the other tab's write had reached it, found no record, and signed out.
  it('a read that does not yet show a sign-in handed over by message does not sign the tab out', async () => {
    const model = fake.reset();
    const lock = createTestTabLocks();
    const items = new Map<string, string>();
    const aOptions = sessionOptions({ lock, tokenStorage: mapAdapter(items, true) });
    const a = new CozeSession(aOptions);
    const lagging = new Map<string, string>(); // b's copy of storage: the write has not arrived
    const b = new CozeSession(sessionOptions({ lock, tokenStorage: { ...mapAdapter(items, true), getItem: (key) => lagging.get(key) ?? null } }));
    stops.push(a.mount(), b.mount());
    await signIn(a, model, aOptions.navigate);
    await flushAsync();
    expect(b.getSnapshot().status).toBe('signed-in'); // taken up from the message
    window.dispatchEvent(new Event('focus')); // b re-reads its (lagging) storage
    await expect(b.getToken()).resolves.toBe(a.getSnapshot().accessToken);
    expect(b.getSnapshot().status).toBe('signed-in');
  });
});
