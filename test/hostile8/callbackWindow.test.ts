// Hostile review 8: the thin shell. Under review, `callback-started`, the used-callback check and
// login() had moved into the lazily loaded engine; these tests look at the window between
// handleRedirectCallback() (or login()) and the engine's arrival. "fixed:" tests failed against
// that code (each but the double `error` event held at ef08183): the callback's first steps went
// back into the shell, and one failure is reported once. "held:" tests pin what survived.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { createTestTabLocks, flushAsync as settle, TEST_CLIENT_ID } from '../../src/testing/index';
import { createTabBus, gatedFetch, landOnCallback, recordEvents, sessionOptions, setupFakeCoze, signIn, startSignIn } from '../helpers/harness';
import { gateSessionEngine } from '../helpers/lazyEngine';

const fake = setupFakeCoze();
const engine = gateSessionEngine();
const TX = `coze-auth.tx.${TEST_CLIENT_ID}.`;
const TOKENS_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

function pendingKeys(): string[] {
  return Object.keys(sessionStorage).filter((name) => name.startsWith(TX));
}

const errorsIn = (events: CozeAuthEvent[]) => events.filter((event) => event.type === 'error');

async function outcomeOf<T>(promise: Promise<T>) {
  return promise.then(
    (result) => ({ ok: true as const, result }),
    (error: { code?: string; message?: string }) => ({ ok: false as const, code: error.code, message: error.message }),
  );
}

describe('hostile8: the state between handleRedirectCallback() and the engine', () => {
  // At ef08183 the shell dispatched `callback-started` inside handleRedirectCallback(): the state
  // was `signing-in` at once. Now the engine dispatches it, so for a callback the session did not
  // recognise at construction (built before the page landed there, as the test harness's own
  // signIn() does, or any session whose construction-time storage read failed) the app sees
  // `signed-out` (isLoading false) for the whole engine download while the code is being
  // exchanged: a route guard that sends signed-out users to login() leaves the callback page.
  it('fixed: a pending callback handed to handleRedirectCallback() is `signing-in` at once, not `signed-out` until the engine arrives', async () => {
    const model = fake.reset();
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions()); // built on "/", before the page landed on the callback
    cleanups.push(session.mount());
    const callbackUrl = await landOnCallback(model, '/there');
    const seen: string[] = [];
    session.subscribe(() => seen.push(session.getSnapshot().status));

    const callback = session.handleRedirectCallback(callbackUrl);
    const statusRightAfter = session.getSnapshot().status;
    await settle(); // the engine chunk is still downloading
    const statusDuringDownload = session.getSnapshot().status;
    engine.open();
    await expect(callback).resolves.toEqual({ returnTo: '/there', alreadySignedIn: false });

    expect(session.getSnapshot().status).toBe('signed-in');
    expect({ statusRightAfter, statusDuringDownload }).toEqual({ statusRightAfter: 'signing-in', statusDuringDownload: 'signing-in' });
    expect(seen).toEqual(['signing-in', 'signed-in']);
  });

  // At ef08183 a used callback URL (Back button, history, a reopened tab) while signed in was
  // answered by the shell itself: { alreadySignedIn: true }, no engine needed, nothing reported.
  // Now the answer needs the engine chunk: when it cannot load, the replay rejects with
  // network_error, `error` is set on the signed-in session and an `error` event fires, and
  // <CozeCallback> renders a sign-in failure for a user who is signed in.
  it('fixed: a used callback URL while signed in is "already signed in" even when the engine chunk cannot load', async () => {
    const model = fake.reset();
    const first = sessionOptions();
    const eager = new CozeSession(first);
    const callbackUrl = await startSignIn(eager, model, first.navigate);
    window.history.replaceState(null, '', callbackUrl);
    await eager.handleRedirectCallback(callbackUrl);
    window.history.replaceState(null, '', callbackUrl); // Back button: the used callback URL again

    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    expect(session.getSnapshot().status).toBe('signed-in');
    const events = recordEvents(session);
    engine.failLoad = true;
    const replay = outcomeOf(session.handleRedirectCallback(window.location.href));
    engine.open();

    expect(await replay).toEqual({ ok: true, result: { returnTo: '/', alreadySignedIn: true } });
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-in', error: undefined });
    expect(errorsIn(events)).toEqual([]);
    expect(model.counters.tokenExchange).toBe(1);
  });

  // The user signs out while the callback waits for the engine, and then the engine chunk fails.
  // At ef08183 the failure carried the callback's generation: after the sign-out it changed
  // nothing. Now the shell's failure handler reads the generation and status at failure time:
  // the session is `signed-out`, so it reports the (abandoned) sign-in's network_error as the
  // state's `error` — an async step that resumed as if the sign-out had not happened.
  it('fixed: a sign-out while the callback waits for the engine, then the engine fails: the sign-out stays clean (no error in state)', async () => {
    const model = fake.reset();
    await landOnCallback(model);
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    expect(session.getSnapshot().status).toBe('signing-in');
    cleanups.push(session.mount()); // starts the recognised callback
    session.logout();
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', error: undefined });

    engine.failLoad = true;
    engine.open();
    // The URL is clean now: this is the mount's callback, under way.
    expect(await outcomeOf(session.handleRedirectCallback(window.location.href))).toMatchObject({ ok: false, code: 'network_error' });
    await settle();
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', error: undefined });
    expect(pendingKeys()).toEqual([]);
  });

  // Same as engineLoaded.test.ts's logout test, over the whole engine download: a signed-out
  // session (clean), a callback handed to it, logout() while the engine downloads. The shell signs
  // out "at once" — a no-op on a clean signed-out state, so the generation stays `startedIn` — and
  // the arriving engine starts the callback and signs the user in after they signed out.
  it('fixed: logout() while the callback waits for the engine (session was signed out): the sign-out sticks, the code is never sent', async () => {
    const model = fake.reset();
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    cleanups.push(session.mount());
    const callbackUrl = await landOnCallback(model);
    const events = recordEvents(session);
    const callback = outcomeOf(session.handleRedirectCallback(callbackUrl));
    session.logout();
    expect(session.getSnapshot().status).toBe('signed-out');
    engine.open();

    expect(await callback).toMatchObject({ ok: false, code: 'login_required' });
    await settle();
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(sessionStorage.getItem(TOKENS_KEY)).toBeNull();
    expect(model.counters.tokenExchange).toBe(0);
    expect(events.filter((event) => event.type === 'signed-in')).toEqual([]);
    expect(pendingKeys()).toEqual([]);
  });

  // Two tabs on localStorage. This tab is signed out; its callback (not recognised at
  // construction) is handed to handleRedirectCallback() while its engine downloads; meanwhile
  // tab B completes an *older* sign-in. When the engine arrives, its start() catches up with
  // storage first and adopts B's sign-in (a new generation), and only then does the engine look
  // at the callback: it takes the generation bump for a sign-out "since the call", abandons this
  // tab's newer sign-in (its code never exchanged) and rejects it with login_required ("Signed out
  // while the sign-in was completing"), with an `error` event — while the session is signed in.
  // At ef08183 `callback-started` happened at the call: the engine ignored B while signing in,
  // exchanged the code and this tab's newer sign-in won in both tabs.
  it('fixed: another tab’s older sign-in, caught up by the arriving engine, does not abandon this tab’s callback', async () => {
    const model = fake.reset();
    const lock = createTestTabLocks();
    const bus = createTabBus().channel;
    const Session = await engine.freshSessionClass();
    const a = new Session(sessionOptions({ lock, tokenStorage: 'localStorage', tabChannel: bus() }));
    cleanups.push(a.mount());
    const events = recordEvents(a);

    const bOptions = sessionOptions({ lock, tokenStorage: 'localStorage', tabChannel: bus() });
    const b = new CozeSession(bOptions);
    cleanups.push(b.mount());
    await signIn(b, model, bOptions.navigate); // tab B signs in (A's engine still downloading)
    const bSession = b.getSnapshot().sessionId;

    const callbackUrl = await landOnCallback(model, '/mine'); // then this tab's own sign-in comes back
    const callback = outcomeOf(a.handleRedirectCallback(callbackUrl));
    engine.open();

    expect(await callback).toEqual({ ok: true, result: { returnTo: '/mine', alreadySignedIn: false } });
    await settle();
    expect(a.getSnapshot().status).toBe('signed-in');
    expect(a.getSnapshot().sessionId).not.toBe(bSession);
    expect(errorsIn(events)).toEqual([]);
    expect(model.counters.tokenExchange).toBe(2);
  });

  // Same root cause, other direction: this tab is signed in (localStorage) and handles a new
  // callback (switch account) while its engine downloads; another tab had signed the *old*
  // sign-in out before that. The arriving engine's start() applies that older sign-out after the
  // call and the newer sign-in is abandoned: the user ends signed out, the callback rejected.
  it('fixed: an older sign-out in another tab, caught up by the arriving engine, does not abandon this tab’s newer sign-in', async () => {
    const model = fake.reset();
    const lock = createTestTabLocks();
    const bus = createTabBus().channel;
    const bOptions = sessionOptions({ lock, tokenStorage: 'localStorage', tabChannel: bus() });
    const b = new CozeSession(bOptions);
    await signIn(b, model, bOptions.navigate);
    window.history.replaceState(null, '', '/');
    cleanups.push(b.mount());

    const Session = await engine.freshSessionClass();
    const a = new Session(sessionOptions({ lock, tokenStorage: 'localStorage', tabChannel: bus() }));
    expect(a.getSnapshot().status).toBe('signed-in');
    cleanups.push(a.mount());
    b.logout(); // the other tab signs out while A's engine downloads
    await settle();

    const callbackUrl = await landOnCallback(model, '/mine'); // A's new sign-in comes back
    const callback = outcomeOf(a.handleRedirectCallback(callbackUrl));
    engine.open();

    expect(await callback).toEqual({ ok: true, result: { returnTo: '/mine', alreadySignedIn: false } });
    await settle();
    expect(a.getSnapshot().status).toBe('signed-in');
  });
});

describe('hostile8: sign-outs and callbacks around the engine’s arrival (held)', () => {
  it('held: handleRedirectCallback → the early answer arrives → logout → engine arrives: nobody signed in, nothing stored, no signed-in event', async () => {
    const model = fake.reset();
    const callbackUrl = await landOnCallback(model);
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    const events = recordEvents(session);
    const callback = outcomeOf(session.handleRedirectCallback(callbackUrl));
    await vi.waitFor(() => expect(model.counters.tokenExchange).toBe(1), { timeout: 5_000 }); // answered; the answer waits for the engine
    await settle();
    session.logout();
    engine.open();
    expect(await callback).toMatchObject({ ok: false, code: 'login_required' });
    await settle();
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', error: undefined });
    expect(localStorage.getItem(TOKENS_KEY) ?? sessionStorage.getItem(TOKENS_KEY)).toBeNull();
    expect(events.filter((event) => event.type === 'signed-in')).toEqual([]);
    expect(pendingKeys()).toEqual([]);
  });

  it('held: engine arrives, exchange on the wire, logout, answer lands: stays signed out', async () => {
    fake.reset();
    const slow = gatedFetch();
    const model = fake.state.model;
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions({ fetch: slow.fetch }));
    cleanups.push(session.mount());
    const callbackUrl = await landOnCallback(model);
    slow.hold();
    const callback = outcomeOf(session.handleRedirectCallback(callbackUrl));
    engine.open();
    await vi.waitFor(() => expect(slow.pending()).toBe(1), { timeout: 5_000 });
    expect(session.getSnapshot().status).toBe('signing-in');
    session.logout();
    await slow.release();
    expect(await callback).toMatchObject({ ok: false, code: 'login_required' });
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(sessionStorage.getItem(TOKENS_KEY)).toBeNull();
  });

  it('held: logout() then handleRedirectCallback() of the recognised callback (before the engine): no sign-in, a typed rejection, not stuck', async () => {
    const model = fake.reset();
    const callbackUrl = await landOnCallback(model);
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    session.logout();
    const callback = outcomeOf(session.handleRedirectCallback(callbackUrl));
    engine.open();
    const outcome = await callback;
    expect(outcome.ok).toBe(false);
    expect(typeof (outcome as { code?: string }).code).toBe('string');
    await settle();
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(sessionStorage.getItem(TOKENS_KEY)).toBeNull();
  });

  it('held: StrictMode mount → unmount → mount on the callback page before the engine: one exchange, one signed-in event, no error', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/there');
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    const events = recordEvents(session);
    session.mount()();
    cleanups.push(session.mount());
    engine.open();
    await vi.waitFor(() => expect(session.getSnapshot().status).toBe('signed-in'), { timeout: 5_000 });
    await settle();
    expect(model.counters.tokenExchange).toBe(1);
    expect(events.filter((event) => event.type === 'signed-in')).toHaveLength(1);
    expect(errorsIn(events)).toEqual([]);
    await expect(session.handleRedirectCallback(window.location.href)).resolves.toMatchObject({ returnTo: '/there' });
  });

  it('held: two callbacks with different states before the engine: one sign-in, one signed-in event, no pending sign-in left', async () => {
    const model = fake.reset();
    const first = await landOnCallback(model, '/one');
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    const events = recordEvents(session);
    const second = await landOnCallback(model, '/two');
    cleanups.push(session.mount()); // completes the recognised (first) callback
    const one = outcomeOf(session.handleRedirectCallback(first));
    const two = outcomeOf(session.handleRedirectCallback(second));
    engine.open();
    const results = [await one, await two];
    await settle();
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(session.getSnapshot().status).toBe('signed-in');
    expect(events.filter((event) => event.type === 'signed-in')).toHaveLength(1);
    expect(pendingKeys()).toEqual([]);
    expect(model.counters.tokenExchange).toBeLessThanOrEqual(2);
  });

  it('held: the engine fails during the recognised callback: typed network_error, one error event, signed out with the error, not stuck', async () => {
    const model = fake.reset();
    await landOnCallback(model);
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    const events = recordEvents(session);
    engine.failLoad = true;
    const callback = outcomeOf(session.handleRedirectCallback(window.location.href));
    engine.open();
    expect(await callback).toMatchObject({ ok: false, code: 'network_error' });
    await settle();
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'network_error' } });
    expect(errorsIn(events)).toHaveLength(1);
  });
});

describe('hostile8: login() through the engine', () => {
  it('held: the engine fails during login: one typed error event; a later login (engine loads) navigates and clears the error', async () => {
    fake.reset();
    const Session = await engine.freshSessionClass();
    const options = sessionOptions();
    const session = new Session(options);
    const events = recordEvents(session);
    engine.failLoad = true;
    const failed = outcomeOf(session.login());
    engine.open();
    expect(await failed).toMatchObject({ ok: false, code: 'network_error' });
    expect(errorsIn(events)).toHaveLength(1);
    expect(session.getSnapshot().error?.code).toBe('network_error');
    expect(options.navigate).not.toHaveBeenCalled();

    engine.failLoad = false;
    await session.login({ returnTo: '/x' });
    expect(options.navigate).toHaveBeenCalledTimes(1);
    expect(session.getSnapshot().error).toBeUndefined();
    expect(errorsIn(events)).toHaveLength(1);
  });

  it('held: an unsafe returnTo before the engine arrives: unsafe_return_to, once, nothing navigated', async () => {
    fake.reset();
    const Session = await engine.freshSessionClass();
    const options = sessionOptions();
    const session = new Session(options);
    const events = recordEvents(session);
    const failed = outcomeOf(session.login({ returnTo: 'https://evil.example/' }));
    engine.open();
    expect(await failed).toMatchObject({ ok: false, code: 'unsafe_return_to' });
    expect(errorsIn(events)).toHaveLength(1);
    expect(options.navigate).not.toHaveBeenCalled();
  });

  it('held: login() while the recognised callback waits for the engine: the callback completes once, then login navigates', async () => {
    const model = fake.reset();
    await landOnCallback(model);
    const Session = await engine.freshSessionClass();
    const options = sessionOptions();
    const session = new Session(options);
    cleanups.push(session.mount());
    const login = session.login({ returnTo: '/again' });
    engine.open();
    await login;
    await vi.waitFor(() => expect(session.getSnapshot().status).toBe('signed-in'), { timeout: 5_000 });
    expect(options.navigate).toHaveBeenCalledTimes(1);
    expect(model.counters.tokenExchange).toBe(1);
  });

  it('held: clearError() while a failed callback’s retry login waits for the engine: the error goes and stays gone', async () => {
    fake.reset();
    const Session = await engine.freshSessionClass();
    const options = sessionOptions();
    const session = new Session(options);
    engine.failLoad = true;
    const failed = outcomeOf(session.login());
    engine.open();
    await failed;
    expect(session.getSnapshot().error?.code).toBe('network_error');
    engine.failLoad = false;
    const retry = session.login();
    session.clearError();
    await retry;
    expect(session.getSnapshot().error).toBeUndefined();
    expect(options.navigate).toHaveBeenCalledTimes(1);
  });
});
