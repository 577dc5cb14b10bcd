import { afterEach, describe, expect, it } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { TEST_CLIENT_ID, createTestClock, createTestTabLocks, flushAsync } from '../../src/testing/index';
import { mapAdapter, sessionOptions, signIn, startSignIn, setupFakeCoze, signedInSession } from '../helpers/harness';

const fake = setupFakeCoze();
const START = Date.UTC(2026, 10, 25, 9, 0, 0);

describe('CozeSession across tabs (localStorage)', () => {
  const unmounts: (() => void)[] = [];
  afterEach(() => {
    unmounts.splice(0).forEach((stop) => stop());
  });

  function openTabs(count: number) {
    const clock = createTestClock(START);
    const model = fake.reset({ now: clock.now, accessTokenTtlSeconds: 60 });
    const lock = createTestTabLocks(); // stands in for navigator.locks, shared by the "tabs"
    const tabs = Array.from({ length: count }, () => {
      const options = sessionOptions({ clock, lock, tokenStorage: 'localStorage' });
      return { options, session: new CozeSession(options) };
    });
    return { clock, model, tabs };
  }

  it('spends each rotating refresh token once: one refresh across three tabs, all adopt it', async () => {
    const { clock, model, tabs } = openTabs(3);
    const [a, b, c] = tabs as [(typeof tabs)[0], (typeof tabs)[0], (typeof tabs)[0]];
    await signIn(a.session, model, a.options.navigate);
    for (const tab of tabs) unmounts.push(tab.session.mount());
    expect(b.session.getSnapshot().status).toBe('signed-in');
    for (let cycle = 1; cycle <= 3; cycle++) {
      clock.set(clock.now() + 50_000); // due in every tab at once
      const tokens = await Promise.all(tabs.flatMap((tab) => [tab.session.getToken(), tab.session.getToken()]));
      expect(new Set(tokens).size).toBe(1);
      expect(model.counters.tokenRefresh).toBe(cycle);
      expect(model.counters.tokenErrors).toBe(0);
      await flushAsync();
      expect(c.session.getSnapshot().accessToken).toBe(tokens[0]);
    }
  });

  it('a tab that was asleep adopts the tokens another tab refreshed instead of spending the old refresh token', async () => {
    const { clock, model, tabs } = openTabs(2);
    const [a, b] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];
    await signIn(a.session, model, a.options.navigate);
    clock.set(START + 50_000);
    const fresh = await a.session.getToken(); // b is not mounted: it heard nothing
    await expect(b.session.getToken()).resolves.toBe(fresh);
    expect(model.counters.tokenRefresh).toBe(1);
  });

  it('signing out in one tab signs out the others', async () => {
    const { model, tabs } = openTabs(3);
    await signIn(tabs[0]!.session, model, tabs[0]!.options.navigate);
    for (const tab of tabs) unmounts.push(tab.session.mount());
    tabs[1]!.session.logout();
    await flushAsync();
    for (const tab of tabs) expect(tab.session.getSnapshot().status).toBe('signed-out');
    expect(localStorage.getItem(`coze-auth.tokens.${TEST_CLIENT_ID}`)).toBeNull();
  });

  it('a sign-in in one tab reaches the others', async () => {
    const { model, tabs } = openTabs(2);
    for (const tab of tabs) unmounts.push(tab.session.mount());
    await signIn(tabs[0]!.session, model, tabs[0]!.options.navigate);
    await flushAsync();
    expect(tabs[1]!.session.getSnapshot()).toMatchObject({
      status: 'signed-in',
      accessToken: tabs[0]!.session.getSnapshot().accessToken,
    });
  });
});

describe('tab channel lifecycle', () => {
  it('signs out every tab even when the signing-out tab is no longer mounted', async () => {
    const model = fake.reset();
    const lock = createTestTabLocks();
    const a = new CozeSession(sessionOptions({ lock, tokenStorage: 'localStorage' }));
    const bOptions = sessionOptions({ lock, tokenStorage: 'localStorage' });
    const b = new CozeSession(bOptions);
    await signIn(b, model, bOptions.navigate);
    const stopA = a.mount();
    const stopB = b.mount();
    await flushAsync();
    expect(a.getSnapshot().status).toBe('signed-in');
    stopB();
    expect(() => b.logout()).not.toThrow();
    await flushAsync();
    expect(a.getSnapshot().status).toBe('signed-out');
    stopA();
  });
});

describe('tabs that share one sign-in', () => {
  const stops: (() => void)[] = [];
  afterEach(() => {
    stops.splice(0).forEach((stop) => stop());
    localStorage.clear();
  });

  it('a duplicated tab (sessionStorage copied) never spends the refresh token twice, and both stay signed in', async () => {
    const lock = createTestTabLocks();
    const aItems = new Map<string, string>();
    const { clock, model, session: a } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60, lock, tokenStorage: mapAdapter(aItems, false) });
    const bItems = new Map(aItems); // "Duplicate tab" copies sessionStorage
    const b = new CozeSession(sessionOptions({ clock, lock, tokenStorage: mapAdapter(bItems, false) }));
    stops.push(a.mount(), b.mount());
    for (let cycle = 1; cycle <= 3; cycle++) {
      clock.set(clock.now() + 50_000);
      const [fromA, fromB] = await Promise.all([a.getToken(), b.getToken()]);
      expect(fromB).toBe(fromA);
      expect(model.counters.tokenRefresh).toBe(cycle);
      expect(model.counters.tokenErrors).toBe(0);
    }
    await flushAsync();
    expect(JSON.parse(bItems.get(`coze-auth.tokens.${TEST_CLIENT_ID}`)!).accessToken).toBe(a.getSnapshot().accessToken);
    expect(b.getSnapshot().status).toBe('signed-in');
  });

  it('localStorage hand-over is exact: a tab whose storage view lags never spends a rotated token', async () => {
    const lock = createTestTabLocks();
    const items = new Map<string, string>();
    const { clock, model, session: a } = await signedInSession(fake, { start: START, accessTokenTtlSeconds: 60, lock, tokenStorage: mapAdapter(items, true) });
    const stale = new Map(items); // b's copy of storage never catches up
    const b = new CozeSession(sessionOptions({ clock, lock, tokenStorage: mapAdapter(items, true, () => stale) }));
    stops.push(a.mount(), b.mount());
    clock.set(START + 50_000);
    const fromA = a.getToken();
    const fromB = b.getToken();
    expect(await fromB).toBe(await fromA);
    expect(model.counters.tokenRefresh).toBe(1);
    expect(model.counters.tokenErrors).toBe(0);
  });

  it('two tabs that finish signing in at once converge on one session', async () => {
    const model = fake.reset();
    const lock = createTestTabLocks();
    const aOptions = sessionOptions({ lock, tokenStorage: 'localStorage' });
    const bOptions = sessionOptions({ lock, tokenStorage: 'localStorage' });
    const a = new CozeSession(aOptions);
    const b = new CozeSession(bOptions);
    stops.push(a.mount(), b.mount());
    const aCallback = await startSignIn(a, model, aOptions.navigate);
    const bCallback = await startSignIn(b, model, bOptions.navigate);
    await Promise.all([a.handleRedirectCallback(aCallback), b.handleRedirectCallback(bCallback)]);
    await flushAsync();
    const stored = JSON.parse(localStorage.getItem(`coze-auth.tokens.${TEST_CLIENT_ID}`)!).sessionId;
    expect(a.getSnapshot().sessionId).toBe(stored);
    expect(b.getSnapshot().sessionId).toBe(stored);
  });

  it('sign-out in one tab while another tab’s refresh is out: the late answer writes nothing back', async () => {
    const clock = createTestClock(START);
    const model = fake.reset({ now: clock.now, accessTokenTtlSeconds: 60 });
    const lock = createTestTabLocks();
    let release: () => void = () => undefined;
    const slowFetch = async (input: string, init: RequestInit) => {
      await new Promise<void>((resolve) => (release = resolve));
      return globalThis.fetch(input, init);
    };
    const aOptions = sessionOptions({ clock, lock, tokenStorage: 'localStorage' });
    const a = new CozeSession(aOptions);
    await signIn(a, model, aOptions.navigate);
    const b = new CozeSession(sessionOptions({ clock, lock, tokenStorage: 'localStorage', fetch: slowFetch }));
    stops.push(a.mount(), b.mount());
    clock.set(START + 50_000);
    const refreshing = b.getToken().catch((error: unknown) => error);
    await flushAsync();
    a.logout();
    await flushAsync();
    release();
    expect(await refreshing).toMatchObject({ code: 'login_required' });
    await flushAsync();
    expect(localStorage.getItem(`coze-auth.tokens.${TEST_CLIENT_ID}`)).toBeNull();
    expect(a.getSnapshot().status).toBe('signed-out');
    expect(b.getSnapshot().status).toBe('signed-out');
  });
});
