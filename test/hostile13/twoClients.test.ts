// Hostile review 13: two Coze apps (two client ids) on one page sharing one redirect URI; the
// page's record of callbacks is keyed by client id and state. Page mode, fake Coze behind MSW.
import { afterEach, describe, expect, it } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { flushAsync as settle, TEST_CLIENT_ID } from '../../src/testing/index';
import { gatedFetch, landOnCallback, sessionOptions, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();
const OTHER_CLIENT = 'another-coze-app';
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

describe('hostile13: another client id on the same callback page', () => {
  it('held: a session of another client neither joins, nor ends, nor answers this client’s sign-in', async () => {
    const model = fake.reset();
    const slow = gatedFetch();
    slow.hold();
    await landOnCallback(model, '/after');
    const mine = new CozeSession(sessionOptions({ fetch: slow.fetch }));
    const theirs = new CozeSession(sessionOptions({ clientId: OTHER_CLIENT, fetch: slow.fetch }));
    const theirEvents: CozeAuthEvent[] = [];
    theirs.onEvent((event) => theirEvents.push(event));
    expect(mine.getSnapshot().status).toBe('signing-in');
    expect(theirs.getSnapshot().status, 'not its callback').toBe('signed-out');
    cleanups.push(mine.mount());
    const callback = mine.handleRedirectCallback();
    await settle();
    // Built while this client's exchange is on the wire: nothing of another client's to join.
    const later = new CozeSession(sessionOptions({ clientId: OTHER_CLIENT, fetch: slow.fetch }));
    cleanups.push(theirs.mount(), later.mount());
    theirs.logout();
    later.logout();
    await slow.release();
    await expect(callback).resolves.toEqual({ returnTo: '/after', alreadySignedIn: false });
    await settle();
    expect(mine.getSnapshot().status, 'another app’s sign-out is not this one’s').toBe('signed-in');
    expect(later.getSnapshot().status).toBe('signed-out');
    expect(theirs.getSnapshot().status).toBe('signed-out');
    expect(theirEvents.map((event) => event.type)).not.toContain('signed-in');
    expect(sessionStorage.getItem(`coze-auth.tokens.${TEST_CLIENT_ID}`)).not.toBeNull();
    expect(sessionStorage.getItem(`coze-auth.tokens.${OTHER_CLIENT}`)).toBeNull();
    expect(model.counters.tokenExchange).toBe(1);
  });
});
