// Hostile review 11: worker mode (`tokenStorage: 'worker'`) vault links around a joined callback
// (018c85d: #releaseVault, #exchanging, the joiner's vault look-up in #joinedCallback), on
// hostile 7's in-process vault world. A link left open by an unmounted session is a leak: with a
// dedicated worker it keeps that worker (and the refresh token it holds) alive for the page's life.
// `fixed:` tests failed against 018c85d and pass since; `held:` tests pin what held.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import { startSignIn } from '../helpers/harness';
import { createWorld, settle, type Tab } from '../hostile7/world';

const START = Date.UTC(2026, 11, 1, 9, 0, 0);

afterEach(() => {
  window.history.replaceState(null, '', '/');
  forgetCallbacksInFlight();
});

/** A fresh page on the callback of a sign-in; the owner tab mounted with its exchange held in the vault. */
async function ownerMidExchange(mode: 'shared' | 'dedicated' = 'shared') {
  forgetCallbacksInFlight();
  const world = createWorld(START, { mode });
  const starter = world.openTab();
  await settle();
  const url = await startSignIn(starter.session, world.model, starter.navigate);
  starter.unmount();
  window.history.replaceState(null, '', url);
  await settle();
  world.hold();
  const owner = world.openTab();
  await settle();
  expect(owner.session.getSnapshot().status).toBe('signing-in');
  expect(world.onWire()).toBe(1);
  return { world, owner };
}

async function quiet() {
  await settle();
  await new Promise((resolve) => setTimeout(resolve, 30));
  await settle();
}

const openLinks = (world: ReturnType<typeof createWorld>) => world.opened.filter((record) => !record.closed).length;

async function settled(tab: Tab) {
  await vi.waitFor(() => expect(tab.session.getSnapshot().status).not.toBe('signing-in'), { timeout: 3_000 });
  await quiet();
}

describe('hostile11: vault links around a joined callback', () => {
  // A second provider mounts while the owner's exchange is on the wire (it joins), and is removed
  // again before the exchange answers (a route change, a conditional provider). Its unmount closes
  // its link (#releaseVault: nothing of its own is exchanging). When the owner's exchange lands,
  // the unmounted joiner's #joinedCallback calls this.#vaultLink() to ask whether its vault holds
  // the sign-in: a NEW link is opened for a session nobody mounts any more, and nothing ever closes
  // it (stop() already ran; #releaseVault is not called again). Suspected cause:
  // sessionEngine.ts #joinedCallback opens the vault link without regard to the engine being
  // stopped, and never releases what it opened.
  it('fixed: a joiner unmounted mid-exchange opens a new vault link when the exchange lands, and never closes it', async () => {
    const { world, owner } = await ownerMidExchange('shared');
    const joiner = world.openTab();
    await settle();
    expect(joiner.session.getSnapshot().status).toBe('signing-in');
    joiner.unmount();
    await quiet();
    const openBefore = openLinks(world);
    expect(openBefore, 'the owner’s link only').toBe(1);
    await world.release();
    await settled(owner);
    await settled(joiner);
    expect(owner.session.getSnapshot().status).toBe('signed-in');
    expect(openLinks(world), 'no link for a session nobody mounts').toBe(1);
  });

  it('held: the owner unmounted mid-exchange and Coze refuses the code (400): its link is closed once the answer is in', async () => {
    const { world, owner } = await ownerMidExchange('shared');
    world.model.failNext('exchange', { status: 400 });
    const callback = owner.session.handleRedirectCallback().catch((error: { code?: string }) => error);
    owner.unmount();
    await quiet();
    expect(openLinks(world), 'kept while its exchange is on the wire').toBe(1);
    await world.release();
    expect(await callback).toMatchObject({ code: 'invalid_grant' });
    await quiet();
    expect(owner.session.getSnapshot().status).toBe('signed-out');
    expect(openLinks(world)).toBe(0);
  });

  it('held: StrictMode remounts the owner mid-exchange (unmount → mount): one link, kept, signed in; closed by the final unmount', async () => {
    const { world, owner } = await ownerMidExchange('shared');
    owner.unmount();
    const unmountAgain = owner.session.mount();
    await quiet();
    expect(openLinks(world)).toBe(1);
    await world.release();
    await settled(owner);
    expect(owner.session.getSnapshot().status).toBe('signed-in');
    expect(openLinks(world)).toBe(1);
    unmountAgain();
    await quiet();
    expect(openLinks(world)).toBe(0);
  });

  it('held: the owner unmounted, then remounted after its exchange was answered: a fresh link, the sign-in restored from the vault', async () => {
    const { world, owner } = await ownerMidExchange('shared');
    owner.unmount();
    await world.release();
    await quiet();
    expect(openLinks(world)).toBe(0);
    const unmountAgain = owner.session.mount();
    await quiet();
    expect(openLinks(world)).toBe(1);
    expect(owner.session.getSnapshot().status).toBe('signed-in');
    await expect(owner.session.getToken()).resolves.toBe(owner.session.getSnapshot().accessToken);
    unmountAgain();
    await quiet();
    expect(openLinks(world)).toBe(0);
  });
});
