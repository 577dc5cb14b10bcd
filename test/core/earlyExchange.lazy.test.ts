import { describe, expect, it, vi } from 'vitest';
import { flushAsync, TEST_CLIENT_ID } from '../../src/testing/index';
import { gatedFetch, landOnCallback, sessionOptions, setupFakeCoze } from '../helpers/harness';
import { gateSessionEngine } from '../helpers/lazyEngine';

// The early code exchange against a session engine (and sign-in flow) that has not arrived yet:
// the point of sending early is that the exchange does not wait for those chunks.

const fake = setupFakeCoze();
const engine = gateSessionEngine();
const TOKENS_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;

describe('the early code exchange, before the session engine arrives', () => {
  it('leaves at construction, and the engine completes the sign-in with its answer (one exchange)', async () => {
    const model = fake.reset();
    const callbackUrl = await landOnCallback(model);
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    await flushAsync();
    expect(model.counters.tokenExchange).toBe(1);
    expect(session.getSnapshot().status).toBe('signing-in');

    const unmount = session.mount();
    engine.open();
    await expect(session.handleRedirectCallback(callbackUrl)).resolves.toMatchObject({ returnTo: '/after', alreadySignedIn: false });
    expect(session.getSnapshot().status).toBe('signed-in');
    expect(model.counters.tokenExchange).toBe(1);
    unmount();
  });

  it('a logout while it is on the wire signs nobody in with its answer, and cancels it once the engine is there', async () => {
    const model = fake.reset();
    await landOnCallback(model);
    const slow = gatedFetch();
    slow.hold();
    let signal: AbortSignal | undefined;
    const fetch = vi.fn((input: string, init: RequestInit) => {
      signal = init.signal ?? undefined;
      return slow.fetch(input, init);
    });
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions({ fetch }));
    expect(fetch).toHaveBeenCalledTimes(1);
    const unmount = session.mount();

    session.logout();
    expect(session.getSnapshot().status).toBe('signed-out');
    engine.open();
    await flushAsync();
    expect(signal?.aborted).toBe(true);
    await slow.release();
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(window.sessionStorage.getItem(TOKENS_KEY)).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(1);
    unmount();
  });

  it('two sessions built on one callback (StrictMode) send one exchange, and the mounted one signs in', async () => {
    const model = fake.reset();
    await landOnCallback(model);
    const Session = await engine.freshSessionClass();
    new Session(sessionOptions());
    const mounted = new Session(sessionOptions());
    expect(mounted.getSnapshot().status).toBe('signing-in');
    const unmount = mounted.mount();
    engine.open();
    await flushAsync();
    await vi.waitFor(() => expect(mounted.getSnapshot().status).toBe('signed-in'));
    expect(model.counters.tokenExchange).toBe(1);
    unmount();
  });

  it('when the engine cannot load, the sent sign-in is dropped with its verifier and the error is typed', async () => {
    const model = fake.reset();
    const callbackUrl = await landOnCallback(model);
    const state = new URL(callbackUrl).searchParams.get('state') as string;
    engine.failLoad = true;
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    const outcome = session.handleRedirectCallback(callbackUrl).catch((error: unknown) => error);
    engine.open();
    expect(await outcome).toMatchObject({ code: 'network_error' });
    const { takeSentSignIn } = await import('../../src/core/storage/transactionStorage');
    expect(takeSentSignIn(TEST_CLIENT_ID, state)).toBeUndefined();
    expect(Object.keys(window.sessionStorage).filter((key) => key.startsWith(`coze-auth.tx.${TEST_CLIENT_ID}.`))).toEqual([]);
  });
});
