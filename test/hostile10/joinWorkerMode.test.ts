// Hostile review 10: attacks on 386505e (joining another session's callback) in worker mode
// (`tokenStorage: 'worker'`), on hostile 7's in-process vault world: `shared` is one vault per
// worker name (SharedWorker), `dedicated` one vault per session (browsers without SharedWorker,
// e.g. Chrome for Android, where the library falls back to a dedicated Worker).
// `defect:` tests fail against the code as reviewed; `held:` tests pin what held.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { startSignIn } from '../helpers/harness';
import { createWorld, settle, type Tab } from '../hostile7/world';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);

afterEach(() => {
  window.history.replaceState(null, '', '/');
  forgetCallbacksInFlight();
});

const typesOf = (events: CozeAuthEvent[]) => events.map((event) => event.type);

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
  it('defect: shared vault: provider remounted mid-exchange: the new session’s callback rejects network_error although it ends signed in', async () => {
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
    expect(await callback).toEqual({ ok: true, result: { returnTo: '/after', alreadySignedIn: false } });
    expect(typesOf(joiner.events)).not.toContain('error');
  });

  // Same, without SharedWorker (dedicated vault per session): the owner's vault, which holds the
  // exchange and would hold the refresh token, is closed with the owner, and the joiner's own vault
  // never saw the code. The code is spent (one exchange at Coze) and the sign-in is lost: the
  // remounted provider ends signed out with network_error (as before 386505e: the join does not
  // deliver the fix it claims here). Suspected cause: as above; a join cannot work across
  // dedicated vaults (the joiner's vault holds nothing to refresh with).
  it('defect: dedicated vaults: provider remounted mid-exchange: the code is spent and the new session ends signed out', async () => {
    const { world, owner } = await ownerMidExchange('dedicated');
    owner.unmount();
    const joiner = world.openTab();
    void joiner.session.handleRedirectCallback().catch(() => undefined);
    await world.release();
    await settled(joiner);
    expect(world.model.counters.tokenExchange).toBe(1);
    expect(joiner.session.getSnapshot()).toMatchObject({ status: 'signed-in', error: undefined });
  });

  // Dedicated vaults, owner and joiner both mounted (two providers): the joiner adopts the owner's
  // page tokens (`signed-in` dispatched), and the VaultLink subscriber waiting for the sign-in to
  // finish (#applyAfterSignIn) runs inside that dispatch, finds the joiner's own vault empty and
  // ends the session ("other-tab"), all before #joinedCallback emits its `signed-in`. The second
  // provider ends signed out, its events are ['signed-out', 'signed-in'] (the last one an app hears
  // says signed in), and getToken() says login_required. Suspected cause:
  // SessionEngine#joinedCallback adopts `joined.host.state.tokens` without the joiner's vault ever
  // receiving the sign-in, and emits `signed-in` without checking it is still signed in.
  it('defect: dedicated vaults, both mounted: the joiner signs in, then its own empty vault signs it out', async () => {
    const { world, owner } = await ownerMidExchange('dedicated');
    const joiner = world.openTab();
    await world.release();
    await settled(joiner);
    expect(owner.session.getSnapshot().status).toBe('signed-in');
    expect(typesOf(joiner.events), 'not signed out by its own (empty) vault').not.toContain('signed-out');
    expect(joiner.session.getSnapshot().status).toBe('signed-in');
    await expect(joiner.session.getToken()).resolves.toBe(joiner.session.getSnapshot().accessToken);
  });

  // A used callback URL (Back button) while restoring: the page's session waits for the vault to
  // say it holds the sign-in, then answers "already signed in" silently. A second session built
  // meanwhile (a second provider, or a remount) joins that replay as if it were a sign-in:
  // `signing-in` instead of `loading`, then a `signed-in` event (source "this-tab") for what was
  // only a restore ("Restoring is not news", vaultLink.ts). Suspected cause:
  // CozeSession#completeCallback `pending = !!joined`, and runOncePerCallback registering
  // callbacks that are not pending sign-ins.
  it('defect: a used callback URL replayed while restoring is joined: the other session shows signing-in and emits a spurious signed-in', async () => {
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
