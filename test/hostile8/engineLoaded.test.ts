// Hostile review 8: the thin shell with its engine already loaded (any page after the first):
// handleRedirectCallback() now reaches `callback-started` a few microtasks after the call. What
// an app can do in those microtasks, and storage that throws. "held:" tests pin what survived.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { flushAsync as settle, TEST_CLIENT_ID } from '../../src/testing/index';
import { gatedFetch, landOnCallback, recordEvents, sessionOptions, setupFakeCoze, signIn } from '../helpers/harness';

const fake = setupFakeCoze();
const TX = `coze-auth.tx.${TEST_CLIENT_ID}.`;
const TOKENS_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

const pendingKeys = () => Object.keys(sessionStorage).filter((name) => name.startsWith(TX));

describe('hostile8: the microtasks between handleRedirectCallback() and callback-started (engine loaded)', () => {
  it('held: switching accounts: getToken() called right after handleRedirectCallback() gets the new sign-in’s token, never the old one', async () => {
    const model = fake.reset();
    const options = sessionOptions();
    const session = new CozeSession(options);
    cleanups.push(session.mount());
    await signIn(session, model, options.navigate);
    const oldToken = session.getSnapshot().accessToken;
    const callbackUrl = await landOnCallback(model, '/other');

    const callback = session.handleRedirectCallback(callbackUrl);
    const token = session.getToken();
    await expect(callback).resolves.toEqual({ returnTo: '/other', alreadySignedIn: false });
    const got = await token;
    expect(got).not.toBe(oldToken);
    expect(got).toBe(session.getSnapshot().accessToken);
  });

  // The session is signed out (clean: no tokens, no error); the app hands it a callback and the
  // user (or the app: "cancel") signs out before `callback-started`. A sign-out of a clean
  // signed-out state is no transition (reduceShellAction returns the same state), so the
  // generation does not move, `startedIn` is still current when the engine looks, and the engine
  // starts the callback and signs the user in after the sign-out. At ef08183 the callback had
  // already bumped the generation (signing-in), so the logout ended it and the code was never sent.
  it('fixed: logout() right after handleRedirectCallback(): stays signed out, the code is never sent, nothing pending or stored', async () => {
    const model = fake.reset();
    const session = new CozeSession(sessionOptions());
    cleanups.push(session.mount());
    const callbackUrl = await landOnCallback(model);
    const events = recordEvents(session);

    const callback = session.handleRedirectCallback(callbackUrl).catch((error: { code?: string }) => error);
    session.logout();
    expect(await callback).toMatchObject({ code: 'login_required' });
    await settle();
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(model.counters.tokenExchange).toBe(0);
    expect(pendingKeys()).toEqual([]);
    expect(sessionStorage.getItem(TOKENS_KEY)).toBeNull();
    expect(events.filter((event) => event.type === 'signed-in')).toEqual([]);
  });

  it('held: a remount (unmount → mount) mid-exchange on the callback page: one exchange, one signed-in event, signed in', async () => {
    fake.reset();
    const slow = gatedFetch();
    slow.hold();
    await landOnCallback(fake.state.model);
    const session = new CozeSession(sessionOptions({ fetch: slow.fetch }));
    const events = recordEvents(session);
    const unmount = session.mount();
    await settle();
    unmount();
    cleanups.push(session.mount());
    expect(session.getSnapshot().status).toBe('signing-in');
    await slow.release();
    await vi.waitFor(() => expect(session.getSnapshot().status).toBe('signed-in'), { timeout: 5_000 });
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(events.filter((event) => event.type === 'signed-in')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'error')).toEqual([]);
  });

  it('held: a transaction storage that throws: handleRedirectCallback() rejects typed, one error event, not left signing-in', async () => {
    const model = fake.reset();
    const callbackUrl = await landOnCallback(model);
    const fail = () => {
      throw new Error('SecurityError');
    };
    const throwing = { getItem: fail, setItem: fail, removeItem: fail, clear: () => undefined, key: () => null, length: 0 } as Storage;
    const session = new CozeSession(sessionOptions({ transactionStorage: throwing }));
    const events = recordEvents(session);
    const outcome = await session.handleRedirectCallback(callbackUrl).catch((error: unknown) => error);
    expect(outcome).toMatchObject({ name: 'CozeAuthError' });
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(events.filter((event) => event.type === 'error')).toHaveLength(1);
    expect(model.counters.tokenExchange).toBe(0);
  });
});
