// Hostile review 14: SessionHost.logout (fae4304) — a sign-out in one session of the page ends
// another session's sign-in through that session's own logout(). Attacks on re-entrancy: loops,
// doubled `signed-out` events, doubled announcements to other tabs. Page mode, localStorage, one
// tab bus for the page's sessions and a third "tab".
// `fixed:` tests failed against fae4304 and pass since; `held:` tests pin what held.
import { afterEach, describe, expect, it } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { TabMessage } from '../../src/core/browser/tabChannel';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { createTestTabLocks, flushAsync as settle, TEST_CLIENT_ID } from '../../src/testing/index';
import { createTabBus, gatedFetch, landOnCallback, recordEvents, sessionOptions, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();
const TOKENS_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  localStorage.clear();
});

const count = (events: CozeAuthEvent[], type: CozeAuthEvent['type']) => events.filter((event) => event.type === type).length;
const joinerOutcomeOf = (outcome: unknown) => (outcome instanceof Error ? (outcome as { code?: string }).code : 'resolved');
const signOutsPosted = (log: TabMessage[]) => log.filter((message) => JSON.stringify(message).includes('signed-out')).length;

describe('hostile14: one sign-out ending another session’s sign-in', () => {
  it('held: a session built on the callback logs out after the starter signed in: one sign-out there, no loop, storage cleared', async () => {
    const model = fake.reset();
    const bus = createTabBus();
    const lock = createTestTabLocks();
    const options = () => sessionOptions({ tokenStorage: 'localStorage', tabChannel: bus.channel(), lock });
    const otherTab = new CozeSession(options()); // not on the callback page
    await landOnCallback(model, '/after');
    const starter = new CozeSession(options());
    const second = new CozeSession(options());
    cleanups.push(starter.mount(), otherTab.mount());
    const starterEvents = recordEvents(starter);
    const secondEvents = recordEvents(second);
    const otherEvents = recordEvents(otherTab);
    await starter.handleRedirectCallback();
    await settle();
    expect(otherTab.getSnapshot().status).toBe('signed-in');
    cleanups.push(second.mount());
    second.logout();
    await settle();
    expect(localStorage.getItem(TOKENS_KEY)).toBeNull();
    expect(starter.getSnapshot().status).toBe('signed-out');
    expect(second.getSnapshot().status).toBe('signed-out');
    expect(otherTab.getSnapshot().status).toBe('signed-out');
    expect(count(starterEvents, 'signed-out')).toBe(1);
    expect(count(secondEvents, 'signed-out')).toBeLessThanOrEqual(1);
    expect(count(otherEvents, 'signed-out')).toBe(1);
  });

  // The remount case the join exists for: the callback route's provider unmounts mid-exchange and
  // a new session (a remounted provider) joins the exchange at construction; the user signs out
  // there while the code is on the wire. localStorage and a tab bus, as real tabs have. When the
  // exchange lands, the unmounted starter persists the tokens to localStorage and announces them;
  // the joiner — signed out, mounted, listening — adopts them as "another tab's sign-in" BEFORE its
  // #joinedCallback runs; #joinedCallback then sees itself signed in (not current, status
  // signed-in) and returns `alreadySignedIn: true` instead of calling owner.logout(). The user's
  // sign-out is lost: the joiner, the other tab and storage are all signed in (a reload too).
  // Suspected cause: the joiner's sign-out (generation bump) is not recorded against the joined
  // sign-in: sessionEngine #joinedCallback's "signed in otherwise meanwhile" branch cannot tell an
  // adoption of THIS very sign-in (tokens.sessionId, via the tab channel/storage event) from an
  // unrelated one, and the starter's engine (unmounted) is never told to end it.
  it('fixed: the starter unmounts mid-exchange, a joiner signs out while the code is on the wire: the sign-in lands anyway in every tab and in storage', async () => {
    const model = fake.reset();
    const bus = createTabBus();
    const lock = createTestTabLocks();
    const gate = gatedFetch();
    const options = () => sessionOptions({ tokenStorage: 'localStorage', tabChannel: bus.channel(), lock, fetch: gate.fetch });
    const otherTab = new CozeSession(options()); // not on the callback page
    await landOnCallback(model, '/after');
    gate.hold(); // the code exchange starts as soon as a session recognises the callback
    const starter = new CozeSession(options());
    cleanups.push(otherTab.mount());
    const otherEvents = recordEvents(otherTab);
    const unmountStarter = starter.mount();
    const started = starter.handleRedirectCallback().catch((error: unknown) => error);
    await settle();
    expect(gate.pending()).toBe(1);
    unmountStarter();
    const joiner = new CozeSession(options());
    expect(joiner.getSnapshot().status).toBe('signing-in');
    cleanups.push(joiner.mount());
    const joinerEvents = recordEvents(joiner);
    const joined = joiner.handleRedirectCallback().catch((error: unknown) => error);
    joiner.logout();
    await gate.release();
    await started;
    const joinedOutcome = await joined;
    await settle();
    expect(joinerOutcomeOf(joinedOutcome), 'the joiner’s callback ends signed out').toBe('login_required');
    expect(localStorage.getItem(TOKENS_KEY)).toBeNull();
    expect(joiner.getSnapshot().status).toBe('signed-out');
    expect(starter.getSnapshot().status).toBe('signed-out');
    expect(otherTab.getSnapshot().status).toBe('signed-out');
    expect(count(joinerEvents, 'signed-in')).toBe(0);
    expect(count(otherEvents, 'signed-in'), 'other tab briefly signed in').toBe(0);
    expect(count(otherEvents, 'signed-out')).toBeLessThanOrEqual(1);
    expect(signOutsPosted(bus.log)).toBeGreaterThanOrEqual(1);
  });
});
