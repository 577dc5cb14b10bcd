// Hostile review 7: worker mode starts `restoring` (rendered `loading`) and only the engine's
// chunk can leave it. What happens when that chunk does not arrive?
import { describe, expect, it } from 'vitest';
import { gateSessionEngine } from '../helpers/lazyEngine';
import { createWorld, settle } from './world';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const engine = gateSessionEngine();

describe('hostile7: worker mode when the session engine chunk fails to load', () => {
  it('fixed: a failed engine download leaves a mounted worker-mode session in loading forever (no focus/online event comes)', async () => {
    const world = createWorld(START);
    const Session = await engine.freshSessionClass();
    const session = new Session(world.options());
    const unmount = session.mount();
    expect(session.getSnapshot().status).toBe('loading');
    engine.failLoad = true;
    engine.open();
    await settle();
    // getToken says why (network_error)...
    await expect(session.getToken()).rejects.toMatchObject({ code: 'network_error' });
    // ...but the state the app renders never does: the tab already has focus and is online, so
    // the retry the session registered (focus/online, once) never runs.
    await world.clock.advance(5 * 60_000);
    await settle();
    const status = session.getSnapshot().status;
    unmount();
    expect(status, 'worker mode must not stay in loading when the engine cannot load (the vault-link chunk failure path signs out with the error)').not.toBe('loading');
  });

  it('held: the same failure in sessionStorage mode renders the stored state, not loading', async () => {
    const world = createWorld(START);
    const Session = await engine.freshSessionClass();
    const session = new Session(world.options({ tokenStorage: 'sessionStorage' }));
    const unmount = session.mount();
    engine.failLoad = true;
    engine.open();
    await settle();
    expect(session.getSnapshot().status).toBe('signed-out');
    unmount();
  });
});
