// Hostile review 10: attacks on 386505e (joining another session's callback) in worker mode
// (`tokenStorage: 'worker'`), on hostile 7's in-process vault world: `shared` is one vault per
// worker name (SharedWorker), `dedicated` one vault per session (browsers without SharedWorker,
// e.g. Chrome for Android, where the library falls back to a dedicated Worker).
// `fixed:` tests failed against the code as reviewed (386505e) and pass since; `limit:` tests state what worker mode without SharedWorker cannot do; `held:` tests pin what held.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import { startSignIn, typesOf } from '../helpers/harness';
import { createWorld, settle, type Tab } from '../hostile7/world';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);

afterEach(() => {
  window.history.replaceState(null, '', '/');
  forgetCallbacksInFlight();
});

/** A fresh page on the callback of a sign-in; the owner tab mounted with its exchange held in the vault. */
async function ownerMidExchange(mode: 'shared' | 'dedicated') {
  forgetCallbacksInFlight(); // a fresh page (hostile 7's world does not start one)
  const world = createWorld(START, { mode });
  const starter = world.openTab();
  await settle();
  const url = await startSignIn(starter.session, world.model, starter.navigate);
  starter.unmount();
  window.history.replaceState(null, '', url);
  world.hold();
  const owner = world.openTab();
  await settle();
  expect(owner.session.getSnapshot().status).toBe('signing-in');
  expect(world.onWire()).toBe(1);
  return { world, owner };
}

async function settled(tab: Tab) {
  await vi.waitFor(() => expect(tab.session.getSnapshot().status).not.toBe('signing-in'), { timeout: 3_000 });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await settle();
}

describe('hostile10: joining a callback, worker mode', () => {
  // The commit's headline case (hostile9's "provider remounted with a new session mid-exchange")
  // in worker mode: the old session unmounts, which closes its vault link (SessionEngine.stop →
  // VaultLink.close), which fails its exchange request at the page ("The token vault connection is
  // closed"), although the shared vault completes the exchange. The joiner adopts the owner's
  // outcome: its handleRedirectCallback() rejects network_error and it emits `error` (so its
  // <CozeCallback> shows an error and never leaves for returnTo), then signs in anyway from the
  // vault's push ("signed-in", other-tab). Suspected cause: SessionEngine#joinedCallback takes the
  // owner's promise as the outcome, and the owner's engine stop closes the link its exchange needs.
  it('fixed: shared vault: provider remounted mid-exchange: the new session’s callback rejects network_error although it ends signed in', async () => {
    const { world, owner } = await ownerMidExchange('shared');
    owner.unmount();
    const joiner = world.openTab();
    expect(joiner.session.getSnapshot().status).toBe('signing-in');
    const callback = joiner.session.handleRedirectCallback().then(
      (result) => ({ ok: true as const, result }),
      (error: { code?: string }) => ({ ok: false as const, code: error.code }),
    );
    await world.release();
    await settled(joiner);
    expect(joiner.session.getSnapshot().status).toBe('signed-in');
    expect(await callback).toEqual({ ok: true, result: { returnTo: '/', alreadySignedIn: false } }); // the sign-in's returnTo (startSignIn's default)
    expect(typesOf(joiner.events)).not.toContain('error');
  });

  // Without SharedWorker (a dedicated vault per session, e.g. Chrome for Android) a joiner cannot
  // take another session's sign-in: its refresh token lives in that session's worker, which this
  // page cannot read by design, and the joiner's own vault never saw the code. The reviewed code
  // claimed the join here too; it now ends it plainly (stated in the README as a limit of worker
  // mode without SharedWorker): one exchange, the joiner's callback rejects `login_required`
  // (its <CozeCallback> offers "Try again"), never `signed-in`, never left `signing-in`.
  it('limit: dedicated vaults: provider remounted mid-exchange: one exchange, the new session ends signed out with login_required, no signed-in event', async () => {
    const { world, owner } = await ownerMidExchange('dedicated');
    owner.unmount();
    const joiner = world.openTab();
    const callback = joiner.session.handleRedirectCallback().catch((error: { code?: string }) => error);
    await world.release();
    await settled(joiner);
    expect(world.model.counters.tokenExchange).toBe(1);
    expect(await callback).toMatchObject({ code: 'login_required' });
    expect(joiner.session.getSnapshot().status).toBe('signed-out');
    expect(typesOf(joiner.events)).not.toContain('signed-in');
  });

  // Dedicated vaults, owner and joiner both mounted (two providers): the reviewed code let the
  // joiner sign in and then its own empty vault sign it out, with `signed-in` emitted last (after
  // `signed-out`). Now the joiner says what happened in order, and the owner keeps its sign-in.
  it('limit: dedicated vaults, both mounted: the owner stays signed in; the joiner ends signed out with login_required, signed-in never emitted', async () => {
    const { world, owner } = await ownerMidExchange('dedicated');
    const joiner = world.openTab();
    const callback = joiner.session.handleRedirectCallback().catch((error: { code?: string }) => error);
    await world.release();
    await settled(joiner);
    expect(owner.session.getSnapshot().status).toBe('signed-in');
    expect(await callback).toMatchObject({ code: 'login_required' });
    expect(joiner.session.getSnapshot().status).toBe('signed-out');
    expect(typesOf(joiner.events)).not.toContain('signed-in');
    expect(typesOf(joiner.events).at(-1)).toBe('error');
  });

  // A used callback URL (Back button) while restoring: the page's session waits for the vault to
  // say it holds the sign-in, then answers "already signed in" silently. A second session built
  // meanwhile (a second provider, or a remount) joins that replay as if it were a sign-in:
  // `signing-in` instead of `loading`, then a `signed-in` event (source "this-tab") for what was
  // only a restore ("Restoring is not news", vaultLink.ts). Suspected cause:
  // CozeSession#completeCallback `pending = !!joined`, and runOncePerCallback registering
  // callbacks that are not pending sign-ins.
  it('fixed: a used callback URL replayed while restoring is joined: the other session shows signing-in and emits a spurious signed-in', async () => {
    forgetCallbacksInFlight();
    const world = createWorld(START);
    const a = world.openTab();
    await settle();
    const used = await startSignIn(a.session, world.model, a.navigate);
    window.history.replaceState(null, '', used);
    await a.session.handleRedirectCallback(used);
    window.history.replaceState(null, '', used); // the used URL again, in a new page
    const page = world.openTab();
    expect(page.session.getSnapshot().status).toBe('loading');
    const replay = page.session.handleRedirectCallback(used);
    const other = world.openTab();
    const status = other.session.getSnapshot().status;
    await expect(replay).resolves.toEqual({ returnTo: '/', alreadySignedIn: true });
    await settled(other);
    expect(other.session.getSnapshot().status).toBe('signed-in');
    expect(typesOf(page.events)).toEqual([]);
    expect(typesOf(other.events), 'a restore is not a sign-in').toEqual([]);
    expect(status).toBe('loading');
  });

  it('held: shared vault, owner and joiner both mounted: both signed in with one exchange, one signed-in event each', async () => {
    const { world, owner } = await ownerMidExchange('shared');
    const joiner = world.openTab();
    expect(joiner.session.getSnapshot().status).toBe('signing-in');
    await world.release();
    await settled(joiner);
    expect(owner.session.getSnapshot().status).toBe('signed-in');
    expect(joiner.session.getSnapshot().sessionId).toBe(owner.session.getSnapshot().sessionId);
    expect(typesOf(joiner.events)).toEqual(['signed-in']);
    expect(world.model.counters.tokenExchange).toBe(1);
    expect(world.pageFetches()).toBe(0);
  });

  it('held: shared vault, the joiner signs out mid-exchange: nobody signed in, the vault holds nothing', async () => {
    const { world, owner } = await ownerMidExchange('shared');
    const joiner = world.openTab();
    await settle();
    joiner.session.logout();
    await world.release();
    await settled(joiner);
    await settled(owner);
    expect(owner.session.getSnapshot().status).toBe('signed-out');
    expect(joiner.session.getSnapshot().status).toBe('signed-out');
    const later = world.openTab();
    await vi.waitFor(() => expect(later.session.getSnapshot().status).not.toBe('loading'), { timeout: 5_000 });
    expect(later.session.getSnapshot().status).toBe('signed-out');
  });
});
