// Hostile review 5 (of the first early code exchange; the one that replaced it is tested in
// earlyExchange*.test.ts): sign-outs on the callback page, and storage that throws there. The test
// marked "DEFECT" failed before its fix; the others pin behaviour that held.
import { beforeEach, describe, expect, it } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { landOnCallback, sessionOptions, setupFakeCoze } from '../helpers/harness';
import { flushAsync as settle, TEST_CLIENT_ID } from '../../src/testing/index';

const fake = setupFakeCoze();

describe('hostile 5: the callback page', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('held: a sign-out after mount on the callback page stays a sign-out', async () => {
    await landOnCallback(fake.state.model);
    const session = new CozeSession(sessionOptions());
    const unmount = session.mount();
    session.logout();
    await settle();
    expect(session.getSnapshot().status).toBe('signed-out');
    unmount();
  });

  it('DEFECT: a sign-out before mount on the callback page: mount does not complete the sign-in anyway', async () => {
    await landOnCallback(fake.state.model);
    const session = new CozeSession(sessionOptions());
    session.logout();
    expect(session.getSnapshot().status).toBe('signed-out');
    const unmount = session.mount();
    await settle();
    expect(session.getSnapshot().status).toBe('signed-out');
    // The exchange left at construction, before the sign-out (earlyExchange.ts): once, its answer dropped.
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(sessionStorage.getItem(`coze-auth.tokens.${TEST_CLIENT_ID}`)).toBeNull();
    // The pending sign-in went with the sign-out: the code can never be exchanged later either.
    expect(Object.keys(sessionStorage).filter((key) => key.startsWith(`coze-auth.tx.${TEST_CLIENT_ID}.`))).toEqual([]);
    unmount();
  });

  it('held: constructing on a callback URL with storage that throws sends nothing and does not throw', async () => {
    await landOnCallback(fake.state.model);
    const fail = () => {
      throw new Error('SecurityError');
    };
    const throwing = { getItem: fail, setItem: fail, removeItem: fail, clear: () => undefined, key: () => null, length: 0 } as Storage;
    expect(() => new CozeSession(sessionOptions({ transactionStorage: throwing }))).not.toThrow();
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(0);
  });
});
