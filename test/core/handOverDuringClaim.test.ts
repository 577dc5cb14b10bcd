// Found by e2e 7b hanging once in CI (16 of 60 rounds, then no tab refreshed again): a tab that
// asks for the rotation lock while another tab spends the refresh token can receive the rotated
// tokens WHILE its claim is being decided (the Web Locks query is asynchronous). It then found the
// other tab's claim (kept until that tab's next refresh), waited for "the next transition" — which
// had already happened — and its refresh() never settled; the other tabs' next round waited on it.
import { afterEach, describe, expect, it } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { TabLocks } from '../../src/core/browser/lock';
import { createTestTabLocks, flushAsync as settle } from '../../src/testing/index';
import { createTabBus, gatedFetch, landOnCallback, sessionOptions, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

/** `locks`, whose `heldNames()` answers only when `open()` is called (the query is in flight meanwhile). */
function slowQueries(locks: TabLocks) {
  const waiting: (() => void)[] = [];
  let gated = false;
  return {
    locks: {
      tryHold: (name: string) => locks.tryHold(name),
      whenFree: (name: string) => locks.whenFree(name),
      heldNames: async () => {
        if (gated) await new Promise<void>((resolve) => waiting.push(resolve));
        return locks.heldNames();
      },
    } satisfies TabLocks,
    hold: () => void (gated = true),
    open: () => {
      gated = false;
      waiting.splice(0).forEach((go) => go());
    },
  };
}

describe('a hand-over that lands while a tab is claiming the rotation', () => {
  it('fixed: the tab takes the handed-over tokens instead of waiting forever', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/after');
    const slow = gatedFetch({ refreshOnly: true });
    const bus = createTabBus();
    const shared = createTestTabLocks();
    const b = slowQueries(shared);
    const tabA = new CozeSession(sessionOptions({ fetch: slow.fetch, tabChannel: bus.channel(), lock: shared }));
    cleanups.push(tabA.mount());
    await tabA.handleRedirectCallback();
    const tabB = new CozeSession(sessionOptions({ fetch: slow.fetch, tabChannel: bus.channel(), lock: b.locks }));
    cleanups.push(tabB.mount());
    await settle();
    expect(tabB.getSnapshot().sessionId).toBe(tabA.getSnapshot().sessionId);

    slow.hold();
    const refreshedByA = tabA.refresh();
    await settle();
    b.hold();
    const refreshedByB = tabB.refresh();
    await settle();
    await slow.release(); // A's answer lands and is handed over while B's claim is being decided
    await settle();
    b.open();
    const outcome = await Promise.race([
      refreshedByB.then((token) => ({ token })),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 2_000)),
    ]);
    expect(outcome, 'refresh() settles').not.toBe('hung');
    expect(outcome).toEqual({ token: await refreshedByA });
    expect(model.counters.tokenRefresh).toBe(1);
  });
});
