// Hostile review 13: a session built on the callback page (generation 0) mounts late and adopts
// its starter's CURRENT tokens while the starter is rotating them (a refresh on the wire). Page
// mode, sessionStorage; the two sessions of one page share a tab bus and Web Locks, as real ones do.
import { afterEach, describe, expect, it } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { createTestTabLocks, flushAsync as settle, TEST_CLIENT_ID } from '../../src/testing/index';
import { createTabBus, gatedFetch, landOnCallback, sessionOptions, setupFakeCoze, typesOf } from '../helpers/harness';

const fake = setupFakeCoze();
const TOKENS_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

async function starterRefreshing() {
  const model = fake.reset();
  await landOnCallback(model, '/after');
  const slow = gatedFetch({ refreshOnly: true });
  const bus = createTabBus();
  const lock = createTestTabLocks();
  const first = new CozeSession(sessionOptions({ fetch: slow.fetch, tabChannel: bus.channel(), lock }));
  const second = new CozeSession(sessionOptions({ fetch: slow.fetch, tabChannel: bus.channel(), lock }));
  const secondEvents: CozeAuthEvent[] = [];
  second.onEvent((event) => secondEvents.push(event));
  cleanups.push(first.mount());
  await first.handleRedirectCallback();
  slow.hold();
  const firstRefresh = first.refresh();
  await settle();
  expect(slow.pending()).toBe(1);
  return { model, slow, first, second, secondEvents, firstRefresh };
}

describe('hostile13: a late generation-0 session joins while its starter rotates the refresh token', () => {
  it('held: the joiner waits for the starter’s rotation instead of spending the same refresh token', async () => {
    const { model, slow, first, second, secondEvents, firstRefresh } = await starterRefreshing();
    cleanups.push(second.mount());
    await second.handleRedirectCallback();
    expect(second.getSnapshot().sessionId).toBe(first.getSnapshot().sessionId);
    const secondRefresh = second.refresh();
    await settle();
    await slow.release();
    const [a, b] = await Promise.all([firstRefresh, secondRefresh]);
    await settle();
    expect(b).toBe(a);
    expect(model.counters.tokenRefresh, 'one refresh token spent once').toBe(1);
    expect(first.getSnapshot()).toMatchObject({ status: 'signed-in', accessToken: a });
    expect(second.getSnapshot()).toMatchObject({ status: 'signed-in', accessToken: a });
    expect(JSON.parse(sessionStorage.getItem(TOKENS_KEY) ?? '{}')).toMatchObject({ accessToken: a, rotation: 1 });
    expect(typesOf(secondEvents).filter((type) => type === 'signed-in')).toHaveLength(1);
    expect(typesOf(secondEvents)).not.toContain('error');
  });

  // The joiner persists what it adopted in its own store: if that write came after the starter's
  // rotation it would put the spent refresh token back in storage (a reload then spends it: invalid_grant).
  it('held: the starter’s rotation lands while the joiner joins: storage keeps the rotated tokens', async () => {
    const { model, slow, first, second, firstRefresh } = await starterRefreshing();
    cleanups.push(second.mount());
    const joined = second.handleRedirectCallback();
    await slow.release();
    await Promise.all([joined, firstRefresh]);
    await settle();
    const stored = JSON.parse(sessionStorage.getItem(TOKENS_KEY) ?? '{}') as { rotation?: number; accessToken?: string };
    expect(stored.rotation).toBe(1);
    expect(stored.accessToken).toBe(first.getSnapshot().accessToken);
    expect(second.getSnapshot().accessToken).toBe(first.getSnapshot().accessToken);
    await expect(second.refresh()).resolves.toBeTypeOf('string');
    expect(model.counters.tokenErrors).toBe(0);
  });
});
