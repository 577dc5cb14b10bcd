// Hostile review 8: worker mode (`tokenStorage: 'worker'`, state `restoring` until the vault
// answers) against the thin shell, whose login() and callbacks now wait for the engine chunk.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { recordEvents, startSignIn } from '../helpers/harness';
import { gateSessionEngine } from '../helpers/lazyEngine';
import { createWorld, settle } from '../hostile7/world';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const engine = gateSessionEngine();
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  window.history.replaceState(null, '', '/');
});

const errorsIn = (events: CozeAuthEvent[]) => events.filter((event) => event.type === 'error');

describe('hostile8: worker mode while the engine downloads', () => {
  // login() now waits for the engine. In worker mode the engine download the constructor started
  // is the same promise login() waits on; when it fails, the loader's handler signs the restoring
  // session out and emits `error`, and login()'s own catch emits `error` again: one chunk failure,
  // the same error object, two `error` events.
  // At ef08183 login() did not need the engine: one `error` event for that failure.
  it('fixed: login() while restoring when the engine chunk fails: exactly one `error` event for the one failure', async () => {
    const world = createWorld(START);
    const Session = await engine.freshSessionClass();
    const session = new Session(world.options());
    expect(session.getSnapshot().status).toBe('loading');
    const events = recordEvents(session);

    const login = session.login().catch((error: unknown) => error);
    engine.failLoad = true;
    engine.open();
    await login;
    await settle();

    expect(session.getSnapshot().status).toBe('signed-out');
    const errors = errorsIn(events);
    expect(errors, 'one engine-chunk failure is reported once').toHaveLength(1);
  });

  // Same double report on a used callback URL (Back button) while restoring: the loader's handler
  // and the callback's failure handler both emit the same network_error. (This one also held at
  // ef08183: the shell's old catch did the same; it lives on in the rewritten closure.)
  it('fixed: a used callback URL while restoring when the engine chunk fails: exactly one `error` event', async () => {
    const world = createWorld(START);
    const a = world.openTab();
    await settle();
    const used = await startSignIn(a.session, world.model, a.navigate);
    window.history.replaceState(null, '', used);
    await a.session.handleRedirectCallback(used);
    window.history.replaceState(null, '', used);

    const Session = await engine.freshSessionClass();
    const session = new Session(world.options());
    expect(session.getSnapshot().status).toBe('loading');
    const events = recordEvents(session);
    const replay = session.handleRedirectCallback(window.location.href).catch((error: { code?: string }) => error);
    engine.failLoad = true;
    engine.open();
    expect(await replay).toMatchObject({ code: 'network_error' });
    await settle();
    expect(errorsIn(events)).toHaveLength(1);
  });

  it('held: a used callback URL while restoring, engine arrives late: "already signed in" once the vault answers, no second exchange', async () => {
    const world = createWorld(START);
    const a = world.openTab();
    await settle();
    const url = await startSignIn(a.session, world.model, a.navigate);
    window.history.replaceState(null, '', url);
    await a.session.handleRedirectCallback(url);
    window.history.replaceState(null, '', url); // the used URL again, in a new page

    const Session = await engine.freshSessionClass();
    const session = new Session(world.options());
    cleanups.push(session.mount());
    const events = recordEvents(session);
    expect(session.getSnapshot().status).toBe('loading');
    const replay = session.handleRedirectCallback(window.location.href);
    engine.open();
    await expect(replay).resolves.toEqual({ returnTo: '/', alreadySignedIn: true });
    expect(session.getSnapshot().status).toBe('signed-in');
    expect(world.model.counters.tokenExchange).toBe(1);
    expect(errorsIn(events)).toEqual([]);
  });

  it('held: the recognised callback in worker mode, logout before the engine: nobody signed in, the vault holds nothing, the code never spent', async () => {
    const world = createWorld(START);
    const a = world.openTab();
    await settle();
    const url = await startSignIn(a.session, world.model, a.navigate);
    a.unmount();
    window.history.replaceState(null, '', url);

    const Session = await engine.freshSessionClass();
    const session = new Session(world.options());
    expect(session.getSnapshot().status).toBe('signing-in');
    cleanups.push(session.mount());
    session.logout();
    engine.open();
    // The URL is clean now: this is the mount's callback, abandoned when the engine looks at it.
    await expect(session.handleRedirectCallback(window.location.href)).rejects.toMatchObject({ code: 'login_required' });
    await settle();
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(world.model.counters.tokenExchange).toBe(0);
    const later = world.openTab();
    await vi.waitFor(() => expect(later.session.getSnapshot().status).not.toBe('loading'), { timeout: 5_000 });
    expect(later.session.getSnapshot().status).toBe('signed-out');
  });

  it('held: the recognised callback in worker mode, engine arrives late: signed in once, one signed-in event, the page never fetched', async () => {
    const world = createWorld(START);
    const a = world.openTab();
    await settle();
    const url = await startSignIn(a.session, world.model, a.navigate);
    a.unmount();
    window.history.replaceState(null, '', url);

    const Session = await engine.freshSessionClass();
    const session = new Session(world.options());
    const events = recordEvents(session);
    cleanups.push(session.mount());
    await settle();
    expect(session.getSnapshot().status).toBe('signing-in');
    engine.open();
    await vi.waitFor(() => expect(session.getSnapshot().status).toBe('signed-in'), { timeout: 5_000 });
    await settle();
    expect(events.filter((event) => event.type === 'signed-in')).toHaveLength(1);
    expect(errorsIn(events)).toEqual([]);
    expect(world.pageFetches()).toBe(0);
    expect(world.model.counters.tokenExchange).toBe(1);
  });
});
