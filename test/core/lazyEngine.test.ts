import { describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { TabChannel, TabMessage } from '../../src/core/browser/tabChannel';
import { sessionOptions, setupFakeCoze, signIn, landOnCallback } from '../helpers/harness';
import { gateSessionEngine } from '../helpers/lazyEngine';

// The session engine is a chunk of its own that arrives after the first render (see
// test/helpers/lazyEngine.ts for how these tests hold its import at a gate).

const fake = setupFakeCoze();
const engine = gateSessionEngine();

function recordingChannel(): TabChannel & { posted: TabMessage[] } {
  const posted: TabMessage[] = [];
  return { posted, post: (message) => void posted.push(message), subscribe: () => () => undefined };
}

/** Signs in with the eagerly loaded session (its tokens land in sessionStorage). */
async function storeASignIn() {
  const model = fake.reset();
  const options = sessionOptions();
  const session = new CozeSession(options);
  await signIn(session, model, options.navigate);
  window.history.replaceState(null, '', '/');
  return { model, tokens: session.getSnapshot() };
}

describe('before the session engine arrives', () => {
  it('renders the stored sign-in at once; token calls wait for the engine, then answer', async () => {
    const { model, tokens } = await storeASignIn();
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-in', accessToken: tokens.accessToken });

    const unmount = session.mount();
    let answered: string | undefined;
    const token = session.getToken().then((value) => (answered = value));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBeUndefined();

    engine.open();
    expect(await token).toBe(tokens.accessToken);
    expect(model.counters.tokenRefresh).toBe(0);
    unmount();
  });

  it('signs out at once, and tells the other tabs once the engine has loaded', async () => {
    const { tokens } = await storeASignIn();
    const Session = await engine.freshSessionClass();
    const tabChannel = recordingChannel();
    const session = new Session(sessionOptions({ tabChannel }));
    const events: string[] = [];
    session.onEvent((event) => events.push(event.type));
    const unmount = session.mount();

    session.logout();
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(window.sessionStorage.getItem('coze-auth.tokens.test-client')).toBeNull();
    expect(events).toEqual(['signed-out']);
    expect(tabChannel.posted).toEqual([]);

    engine.open();
    await vi.waitFor(() => expect(tabChannel.posted).toContainEqual({ type: 'signed-out', sessionId: tokens.sessionId }));
    // The engine started after the sign-out: it neither restores the session nor asks for it back.
    expect(session.getSnapshot().status).toBe('signed-out');
    expect(tabChannel.posted.filter((message) => message.type === 'sync-request')).toEqual([]);
    unmount();
  });

  it('strips the code from the address bar at mount, before the engine (and the exchange) arrive', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/after');

    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    expect(session.getSnapshot().status).toBe('signing-in');
    const unmount = session.mount();
    expect(window.location.search).toBe('');
    expect(model.counters.tokenExchange).toBe(0);

    engine.open();
    await vi.waitFor(() => expect(session.getSnapshot().status).toBe('signed-in'));
    expect(model.counters.tokenExchange).toBe(1);
    unmount();
  });

  it('a failed engine download is a typed network_error that leaks nothing; the next call tries again', async () => {
    const { tokens } = await storeASignIn();
    const Session = await engine.freshSessionClass();
    const session = new Session(sessionOptions());
    engine.failLoad = true;
    engine.open();

    const failure = (await session.getToken().catch((error: unknown) => error)) as Error & { code?: string };
    expect(failure).toMatchObject({ name: 'CozeAuthError', code: 'network_error' });
    expect(JSON.stringify({ message: failure.message })).not.toContain(tokens.accessToken as string);
    // The stored sign-in is untouched: a failed download is not a sign-out.
    expect(session.getSnapshot().status).toBe('signed-in');

    engine.failLoad = false;
    expect(await session.getToken()).toBe(tokens.accessToken);
  });

  it('login() before the engine arrives downloads the sign-in flow beside it, then leaves for Coze once', async () => {
    fake.reset();
    let flowRequested = false;
    vi.doMock('../../src/core/session/signInFlow', async (importOriginal) => {
      flowRequested = true;
      return importOriginal();
    });
    try {
      const Session = await engine.freshSessionClass();
      const options = sessionOptions();
      const session = new Session(options);
      const login = session.login({ returnTo: '/there' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The redirect is the engine's: nothing has left yet, but the flow's download has begun.
      expect(options.navigate).not.toHaveBeenCalled();
      expect(flowRequested).toBe(true);
      engine.open();
      await login;
      expect(options.navigate).toHaveBeenCalledTimes(1);
      expect(String(options.navigate.mock.calls[0]?.[0])).toContain('/api/permission/oauth2/authorize');
      expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', error: undefined });
    } finally {
      vi.doUnmock('../../src/core/session/signInFlow');
    }
  });
});
