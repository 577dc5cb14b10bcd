// Hostile review 13: worker mode (shared vault), two providers of one client built on the
// callback page; the second (generation 0, not mounted) logs out after the first's sign-in landed.
// endCallbackSignIn signs the first out through its host (its engine and vault link bypassed);
// the second's own vault link announces the end. hostile 7's in-process vault world.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import { startSignIn } from '../helpers/harness';
import { createWorld, settle } from '../hostile7/world';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);

afterEach(() => {
  window.history.replaceState(null, '', '/');
  forgetCallbacksInFlight();
});

describe('hostile13: worker mode, a generation-0 session’s logout ends the first’s sign-in', () => {
  it('held: the shared vault ends the sign-in: a tab opened next is signed out, the first cannot get a token', async () => {
    forgetCallbacksInFlight();
    const world = createWorld(START, { mode: 'shared', accessTokenTtlSeconds: 900 });
    const starter = world.openTab();
    await settle();
    const url = await startSignIn(starter.session, world.model, starter.navigate, '/after');
    starter.unmount();
    window.history.replaceState(null, '', url);
    const first = world.openTab({ mount: false });
    const second = world.openTab({ mount: false });
    expect(second.session.getSnapshot().status).toBe('signing-in');
    const unmountFirst = first.session.mount();
    await first.session.handleRedirectCallback();
    await vi.waitFor(() => expect(first.session.getSnapshot().status).toBe('signed-in'));
    second.session.logout();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await settle();
    expect(first.session.getSnapshot().status).toBe('signed-out');
    await expect(first.session.getToken()).rejects.toMatchObject({ code: 'login_required' });
    const next = world.openTab();
    await vi.waitFor(() => expect(next.session.getSnapshot().status).not.toBe('loading'));
    await settle();
    expect(next.session.getSnapshot().status).toBe('signed-out');
    expect(first.events.filter((event) => event.type === 'signed-in')).toHaveLength(1);
    expect(first.events.filter((event) => event.type === 'signed-out')).toHaveLength(1);
    unmountFirst();
  });
});
