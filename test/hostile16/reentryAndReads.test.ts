// Hostile review 16: re-entrant sign-outs through app event handlers while
// callbackRegistry.endCallbackSignIn walks `started`, and a late (generation-0) join whose
// starter's storage cannot be read (getItem throws: `lastReadFailed`).
import { afterEach, describe, expect, it } from 'vitest';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { TokenStorageAdapter } from '../../src/core/storage/storageAdapters';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { flushAsync as settle } from '../../src/testing/index';
import { gatedFetch, landOnCallback, mapAdapter, recordEvents, sessionOptions, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  window.history.replaceState(null, '', '/');
  forgetCallbacksInFlight();
  sessionStorage.clear();
  localStorage.clear();
});

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (result) => result,
    (error: { code?: string }) => error.code,
  );

const count = (events: CozeAuthEvent[], type: CozeAuthEvent['type']) => events.filter((event) => event.type === type).length;

describe('hostile16: re-entrant sign-outs and unreadable storage around a joined sign-in', () => {
  // The app keeps its two providers in step: a store listener of the starter (as a
  // useSyncExternalStore consumer's effect would, but synchronously) calls the joiner's logout()
  // as soon as the starter shows signed-out — while the joiner's own logout() is inside endCallbackSignIn, calling
  // the starter's logout(). No recursion, one sign-out each, the exchange's answer dropped.
  it('held: the starter’s signed-out listener calls the joiner’s logout() re-entrantly: no loop, nothing lands', async () => {
    const model = fake.reset();
    const gate = gatedFetch();
    await landOnCallback(model, '/after');
    gate.hold();
    const starterItems = new Map<string, string>();
    const starter = new CozeSession(sessionOptions({ fetch: gate.fetch, tokenStorage: mapAdapter(starterItems, false) }));
    const starterEvents = recordEvents(starter);
    cleanups.push(starter.mount());
    const started = outcome(starter.handleRedirectCallback());
    await settle();
    const joiner = new CozeSession(sessionOptions({ tokenStorage: mapAdapter(new Map(), false) }));
    const joinerEvents = recordEvents(joiner);
    cleanups.push(joiner.mount());
    const joined = outcome(joiner.handleRedirectCallback());
    let reentered = 0;
    cleanups.push(
      starter.subscribe(() => {
        if (starter.getSnapshot().status !== 'signed-out' || reentered > 0) return;
        reentered += 1;
        joiner.logout();
      }),
    );
    joiner.logout();
    await gate.release();
    await settle();
    expect(reentered).toBe(1);
    expect(await started).toBe('login_required');
    expect(await joined).toBe('login_required');
    expect(starter.getSnapshot().status).toBe('signed-out');
    expect(joiner.getSnapshot().status).toBe('signed-out');
    expect(count(starterEvents, 'signed-in') + count(joinerEvents, 'signed-in')).toBe(0);
    // Neither held tokens: no sign-out is announced (signed-out events are for ended sign-ins).
    expect(count(starterEvents, 'signed-out')).toBeLessThanOrEqual(1);
    expect(count(joinerEvents, 'signed-out')).toBeLessThanOrEqual(1);
    expect([...starterItems.keys()]).toEqual([]);
  });

  // Two providers on the callback page sharing a storage that stops answering reads (getItem
  // throws: a quota/privacy failure) after the first signed in. The second mounts late
  // (generation 0) and joins the started sign-in: it cannot read "what holds now", so it takes
  // the starter's sign-in, without throwing and without writing anything back.
  it('held: late join, the shared storage’s getItem throws: signed in with the starter’s sign-in, no error', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/after');
    const items = new Map<string, string>();
    let readsFail = false;
    const writes: string[] = [];
    const storage: TokenStorageAdapter = {
      getItem: (key) => {
        if (readsFail) throw new Error('SecurityError: storage unavailable');
        return items.get(key) ?? null;
      },
      setItem: (key, value) => {
        writes.push(key);
        items.set(key, value);
      },
      removeItem: (key) => void items.delete(key),
      sharedAcrossTabs: true,
    };
    const first = new CozeSession(sessionOptions({ tokenStorage: storage }));
    const late = new CozeSession(sessionOptions({ tokenStorage: storage }));
    expect(late.getSnapshot().status).toBe('signing-in');
    const unmountFirst = first.mount();
    await first.handleRedirectCallback();
    const sessionId = first.getSnapshot().sessionId;
    unmountFirst();
    await settle();
    readsFail = true;
    writes.length = 0;
    const lateEvents = recordEvents(late);
    cleanups.push(late.mount());
    const result = await outcome(late.handleRedirectCallback());
    await settle();
    expect(result).toEqual({ returnTo: '/after', alreadySignedIn: false });
    expect(late.getSnapshot()).toMatchObject({ status: 'signed-in', sessionId, error: undefined });
    expect(count(lateEvents, 'error')).toBe(0);
    expect(count(lateEvents, 'signed-in')).toBe(1);
  });
});
