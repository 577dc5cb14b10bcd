// Hostile review 3: the window before the lazily loaded session engine arrives.
// Tests marked "DEFECT" failed against the code under review (and pass since the fix); the others pin behaviour that held.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { createTabBus, mapAdapter, sessionOptions, setupFakeCoze, signIn, landOnCallback } from '../helpers/harness';
import { gateSessionEngine } from '../helpers/lazyEngine';
import { TEST_CLIENT_ID as CLIENT_ID, createTestTabLocks as createLockRunner, flushAsync as settle } from '../../src/testing/index';

const fake = setupFakeCoze();
const engine = gateSessionEngine();
const KEY = `coze-auth.tokens.${CLIENT_ID}`;
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

/**
 * Two tabs sharing one sign-in: B signed in and running; A just (re)loaded, its shell restored the
 * sign-in and its engine is still downloading (held at the gate). Either both on localStorage, or
 * A a duplicate of B in sessionStorage mode (its own copy of B's storage).
 */
async function twoTabs(kind: 'localStorage' | 'duplicated' = 'localStorage') {
  const model = fake.reset();
  const lock = createLockRunner();
  const bus = createTabBus();
  const bItems = new Map<string, string>();
  const storage = (items: Map<string, string>) => (kind === 'localStorage' ? 'localStorage' : mapAdapter(items, false));
  const bOptions = sessionOptions({ lock, tokenStorage: storage(bItems), tabChannel: bus.channel() });
  const b = new CozeSession(bOptions);
  await signIn(b, model, bOptions.navigate);
  window.history.replaceState(null, '', '/');
  cleanups.push(b.mount());
  const Session = await engine.freshSessionClass();
  const a = new Session(sessionOptions({ lock, tokenStorage: storage(new Map(bItems)), tabChannel: bus.channel() }));
  cleanups.push(a.mount());
  return { a, b, lock, model, bus };
}

describe('hostile3: another tab acts before this tab’s engine has arrived', () => {
  // DEFECT. Two tabs share localStorage. Tab A reloads: its shell reads the stored sign-in and
  // renders it; its engine (which alone listens to other tabs) is still downloading. Meanwhile the
  // user signs out in tab B (record removed, `signed-out` broadcast). A hears nothing, and when its
  // engine arrives, start() re-reads storage with removed=false, so a missing record means nothing:
  // tab A stays signed in (and hands out the access token, later refreshes and writes it back).
  it('shared storage: a sign-out in another tab during the engine download signs this tab out', async () => {
    const { a, b } = await twoTabs();
    expect(a.getSnapshot().status).toBe('signed-in');

    b.logout(); // the user signs out in tab B while A's engine downloads
    await settle();
    expect(localStorage.getItem(KEY)).toBeNull();

    engine.open();
    await settle();
    // The engine's start follows its arrival by a task or two; a loaded machine takes longer than 50 ms.
    await vi.waitFor(() => expect(a.getSnapshot().status).toBe('signed-out'), { timeout: 3_000 });
    await expect(a.getToken()).rejects.toMatchObject({ code: 'login_required' });
  });

  // DEFECT (consequence of the above). The tab that missed the sign-out refreshes the ended sign-in
  // (Coze has no revocation, the refresh token still works) and writes it back to localStorage:
  // the sign-out is undone for every tab opened afterwards.
  it('shared storage: the tab that missed the sign-out does not write the ended sign-in back', async () => {
    const { a, b, lock } = await twoTabs();

    b.logout();
    await settle();
    engine.open();
    await settle();
    await a.refresh().catch(() => undefined); // proactive refresh, a 401, or the app asking
    await settle();
    expect(localStorage.getItem(KEY)).toBeNull();
    // A tab opened now must be signed out.
    expect(new CozeSession(sessionOptions({ lock, tokenStorage: 'localStorage' })).getSnapshot().status).toBe('signed-out');
  });

  // DEFECT. Same with the default sessionStorage: a duplicated tab shares the sign-in; the other
  // copy signs out while this tab's engine downloads. start() only sends a sync-request (answered
  // only by a tab holding a NEWER rotation), so the sign-out is never learnt: this tab stays signed
  // in with a sign-in the user ended, and will keep refreshing it.
  it('duplicated sessionStorage tab: a sign-out in the other copy during the engine download is not lost', async () => {
    const { a, b, bus } = await twoTabs('duplicated'); // the tab was duplicated: sessionStorage copied
    expect(a.getSnapshot().status).toBe('signed-in');

    b.logout();
    await settle();
    expect(bus.log).toContainEqual(expect.objectContaining({ type: 'signed-out' }));

    engine.open();
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a.getSnapshot().status).toBe('signed-out');
  });

  // Holds: a refresh in the other copy while this tab downloads its engine is caught up by the
  // engine's start (sync-request → hand-over).
  it('duplicated sessionStorage tab: a refresh in the other copy during the engine download is adopted', async () => {
    const { a, b, model } = await twoTabs('duplicated');
    const rotated = await b.refresh();
    engine.open();
    await vi.waitFor(() => expect(a.getSnapshot().accessToken).toBe(rotated));
    expect(await a.getToken()).toBe(rotated);
    expect(model.counters.tokenRefresh).toBe(1);
  });
});

describe('hostile3: engine download failures', () => {
  // DEFECT. logout() before the engine arrives promises to tell other tabs "once it is loaded".
  // If that download fails, the announcement is dropped for good: a later successful load (the
  // next getToken, or a mount) never sends it, so duplicated tabs stay signed in.
  it('a sign-out made while the engine download failed is still announced once the engine loads', async () => {
    const model = fake.reset();
    const first = sessionOptions();
    const eager = new CozeSession(first);
    await signIn(eager, model, first.navigate);
    window.history.replaceState(null, '', '/');
    const { sessionId } = eager.getSnapshot();

    const bus = createTabBus();
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions({ tabChannel: bus.channel() }));
    engine.failLoad = true;
    engine.open();
    session.logout();
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(bus.log).toEqual([]); // nothing could be sent yet

    engine.failLoad = false;
    await expect(session.getToken()).rejects.toMatchObject({ code: 'login_required' }); // the engine loads now
    await settle();
    expect(bus.log).toContainEqual({ type: 'signed-out', sessionId });
  });

  // DEFECT (robustness). A mounted session whose engine download failed once never tries again by
  // itself: no timers, no wake listeners, no cross-tab listener until the app happens to call
  // getToken(). Coming back online (the usual cause of the failure) does not restart it, so a
  // sign-out in another tab is never heard.
  it('a mounted session whose engine download failed starts it once the network is back', async () => {
    const model = fake.reset();
    const bus = createTabBus();
    const first = sessionOptions({ tabChannel: bus.channel() });
    const eager = new CozeSession(first);
    await signIn(eager, model, first.navigate);
    window.history.replaceState(null, '', '/');

    const Session = await engine.freshSessionClass();
    const tab = bus.channel();
    const session = new Session(sessionOptions({ tabChannel: tab }));
    engine.failLoad = true;
    cleanups.push(session.mount());
    engine.open();
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 20));

    engine.failLoad = false;
    window.dispatchEvent(new Event('online'));
    window.dispatchEvent(new Event('focus'));
    document.dispatchEvent(new Event('visibilitychange'));
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tab.subscriptions).toBe(1);
  });
});

describe('hostile3: mount/unmount before the engine arrives', () => {
  // Holds: unmounted before arrival → the arriving engine starts nothing.
  it('an engine arriving after the unmount starts no listeners or timers', async () => {
    fake.reset();
    const Session = await engine.freshSessionClass();
    const tab = createTabBus().channel();
    const wakeEvents = vi.fn(() => () => undefined);
    const session = new Session(sessionOptions({ tabChannel: tab, wakeEvents }));
    const unmount = session.mount();
    unmount();
    engine.open();
    await session.getToken().catch(() => undefined); // the engine has arrived
    await settle();
    expect(tab.subscriptions).toBe(0);
    expect(wakeEvents).not.toHaveBeenCalled();
  });

  // Holds: StrictMode's mount → unmount → mount before arrival starts the engine exactly once.
  it('StrictMode mount/unmount/mount before arrival starts the engine once', async () => {
    fake.reset();
    const Session = await engine.freshSessionClass();
    const tab = createTabBus().channel();
    const stop = vi.fn();
    const wakeEvents = vi.fn(() => stop);
    const session = new Session(sessionOptions({ tabChannel: tab, wakeEvents }));
    session.mount()();
    cleanups.push(session.mount());
    engine.open();
    await session.getToken().catch(() => undefined);
    await settle();
    expect(tab.subscriptions).toBe(1);
    expect(wakeEvents).toHaveBeenCalledTimes(1);
  });
});

describe('hostile3: callbacks before the engine arrives', () => {
  // Holds: two handleRedirectCallback calls (and the mount's) share one promise and one exchange.
  it('handleRedirectCallback twice before arrival: one exchange, same promise', async () => {
    const model = fake.reset();
    const callbackUrl = await landOnCallback(model, '/there');
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    const one = session.handleRedirectCallback(callbackUrl);
    const two = session.handleRedirectCallback(callbackUrl);
    const three = session.handleRedirectCallback(window.location.href); // already cleaned
    cleanups.push(session.mount());
    expect(two).toBe(one);
    expect(three).toBe(one);
    engine.open();
    await expect(one).resolves.toEqual({ returnTo: '/there', alreadySignedIn: false });
    expect(model.counters.tokenExchange).toBe(1);
  });

  // DEFECT (minor). The user signs out while the callback waits for the engine: the shell already
  // knows the sign-in is abandoned (new generation), yet when the engine arrives it still spends the
  // code at Coze, minting a refresh token that nobody keeps and Coze cannot revoke.
  it('a sign-out before the engine arrives abandons the pending code exchange', async () => {
    const model = fake.reset();
    const callbackUrl = await landOnCallback(model, '/there');
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    const callback = session.handleRedirectCallback(callbackUrl);
    session.logout();
    engine.open();
    await expect(callback).rejects.toMatchObject({ name: 'CozeAuthError' });
    expect(session.getSnapshot().status).toBe('signed-out');
    // The exchange left at construction (earlyExchange.ts), before the sign-out: it went once, and
    // its answer is dropped (nothing below is stored).
    expect(model.counters.tokenExchange).toBeLessThanOrEqual(1);
    await settle();
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(Object.keys(sessionStorage).filter((key) => key.startsWith('coze-auth.'))).toEqual([]);
  });
});

describe('hostile3: a callback whose engine download fails', () => {
  // DEFECT (minor). On the callback page the shell strips code/state from the address bar before
  // the engine arrives; if the engine download then fails, the callback fails with network_error
  // and the code is gone for good — but the PKCE verifier stays in sessionStorage (only the lazily
  // loaded flow ever removes it), readable by any script on the origin until a later login sweeps
  // it 15 minutes on (with the localStorage fallback: across browser sessions).
  it('no verifier is left behind when the callback fails because the engine could not load', async () => {
    const model = fake.reset();
    const callbackUrl = await landOnCallback(model, '/there');
    const state = new URL(callbackUrl).searchParams.get('state')!;
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    engine.failLoad = true;
    engine.open();
    const unmount = session.mount();
    cleanups.push(unmount);
    await expect(session.handleRedirectCallback(window.location.href)).rejects.toMatchObject({ code: 'network_error' });
    expect(window.location.search).toBe(''); // the code can never be used again
    expect(sessionStorage.getItem(`coze-auth.tx.${CLIENT_ID}.${state}`)).toBeNull();
  });
});
