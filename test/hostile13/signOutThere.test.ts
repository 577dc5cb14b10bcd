// Hostile review 13: attacks on 82c0bb3's sign-out "there" — a session built on the callback page
// whose logout() ends the sign-in another session of the page started from that callback
// (callbackRegistry.endCallbackSignIn → the starter HOST's signOut, not its engine's endSession).
// Page mode against the fake Coze behind MSW; two sessions of one page share one tab bus (two
// BroadcastChannel instances of one page hear each other, as real ones do).
// `fixed:` tests failed against 82c0bb3 and pass since; `held:` tests pin what held.
import { afterEach, describe, expect, it } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { TabMessage } from '../../src/core/browser/tabChannel';
import type { TokenStorageAdapter } from '../../src/core/storage/storageAdapters';
import { createTestTabLocks, flushAsync as settle } from '../../src/testing/index';
import { createTabBus, landOnCallback, mapAdapter, recordEvents, sessionOptions, setupFakeCoze, typesOf } from '../helpers/harness';

const fake = setupFakeCoze();
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

describe('hostile13: a generation-0 session’s logout() ends the starter’s sign-in through its host', () => {
  // Two providers of one client on the callback page, shared custom storage (cookie-backed,
  // encrypted, native bridge…) that starts failing: neither removeItem nor the fallback overwrite
  // works. The library's promise for that case (SessionEngine#endedSessions, test/core/hostile
  // "logout sticks when removeItem throws"): the session that ended a sign-in never adopts its
  // undeleted record again. Here the second (generation 0, not mounted yet) logs out after the
  // first's sign-in landed: endCallbackSignIn signs the FIRST out through its host's signOut,
  // which skips its engine's endSession, so the first's #endedSessions never learns the sign-in.
  // The second's own sign-out then announces `signed-out` (no sessionId: it held no tokens);
  // the first hears it, re-reads shared storage, finds the undeleted record and adopts it as
  // "another tab's sign-in": a `signed-in` event for the sign-in the user just ended (then,
  // on the second announcement, another `signed-out`).
  // Suspected cause: callbackRegistry.endCallbackSignIn calls `entry.host.signOut` instead of the
  // starter engine's endSession (no #endedSessions entry, no releaseRotation, no retry reset).
  it('fixed: storage that cannot delete: the starter re-adopts the sign-in the second session’s logout ended (signed-in event after sign-out)', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/after');
    const items = new Map<string, string>();
    let failing = false;
    const base = mapAdapter(items, true);
    const storage: TokenStorageAdapter = {
      ...base,
      setItem: (key, value) => {
        if (failing) throw new DOMException('denied', 'SecurityError');
        base.setItem(key, value);
      },
      removeItem: (key) => {
        if (failing) throw new DOMException('denied', 'SecurityError');
        base.removeItem(key);
      },
    };
    const bus = createTabBus();
    const lock = createTestTabLocks();
    const first = new CozeSession(sessionOptions({ tokenStorage: storage, tabChannel: bus.channel(), lock }));
    const second = new CozeSession(sessionOptions({ tokenStorage: storage, tabChannel: bus.channel(), lock }));
    expect(second.getSnapshot().status).toBe('signing-in');
    cleanups.push(first.mount());
    await first.handleRedirectCallback();
    expect(first.getSnapshot().status).toBe('signed-in');
    const firstEvents = recordEvents(first);
    failing = true;
    second.logout();
    await settle();
    window.dispatchEvent(new Event('focus'));
    await settle();
    expect(first.getSnapshot().status).toBe('signed-out');
    expect(typesOf(firstEvents), 'one sign-out, nothing signed back in').toEqual(['signed-out']);
  });

  // The same two providers, localStorage (shared, working), another tab of the app on the same
  // sign-in. The second's logout() ends the first there and announces; every other tab must hear
  // exactly one `signed-out` for the sign-in (and nothing that makes it sign in again).
  it('held: localStorage: the other tab hears the ended sign-in and ends it once', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/after');
    const bus = createTabBus();
    const lock = createTestTabLocks();
    const first = new CozeSession(sessionOptions({ tokenStorage: 'localStorage', tabChannel: bus.channel(), lock }));
    const second = new CozeSession(sessionOptions({ tokenStorage: 'localStorage', tabChannel: bus.channel(), lock }));
    cleanups.push(first.mount());
    await first.handleRedirectCallback();
    const sessionId = first.getSnapshot().sessionId;
    // Another tab, restored from the shared record.
    const other = new CozeSession(sessionOptions({ tokenStorage: 'localStorage', tabChannel: bus.channel(), lock }));
    cleanups.push(other.mount());
    await settle();
    expect(other.getSnapshot().sessionId).toBe(sessionId);
    const otherEvents = recordEvents(other);
    bus.log.splice(0);
    second.logout();
    await settle();
    expect(first.getSnapshot().status).toBe('signed-out');
    expect(other.getSnapshot().status).toBe('signed-out');
    expect(typesOf(otherEvents)).toEqual(['signed-out']);
    const ends = bus.log.filter((message: TabMessage) => message.type === 'signed-out' && message.sessionId === sessionId);
    expect(ends.length).toBeGreaterThanOrEqual(1);
    expect(localStorage.length).toBe(0);
  });
});
