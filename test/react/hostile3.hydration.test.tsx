// @vitest-environment node
// Hostile review 3: a callback page rendered on a server and hydrated, and a session built on a server.
import { JSDOM } from 'jsdom';
import { setupServer } from 'msw/node';
import { act } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { createMemoryStorage } from '../../src/core/storage/storageAdapters';
import { CozeAuthProvider, CozeCallback } from '../../src/react/index';
import { createCozeModel } from '../../src/testing/index';
import { cozeHandlers } from '../../src/testing/msw';

const API = 'https://api.coze.test';
const WEB = 'https://www.coze.test';
const OPTIONS = { clientId: 'ssr-app', redirectUri: 'http://localhost/callback', baseURL: API, webBaseURL: WEB };

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function freshModel() {
  const model = createCozeModel({ apiOrigin: API, webOrigin: WEB, clients: [{ clientId: OPTIONS.clientId, name: 'SSR', redirectUris: [OPTIONS.redirectUri] }] });
  server.resetHandlers(...cozeHandlers(model));
  return model;
}

/** A browser window for the hydration: jsdom's globals stubbed in. */
function openBrowser(html: string) {
  const dom = new JSDOM(`<!doctype html><html><body><div id="root">${html}</div></body></html>`, { url: 'http://localhost/' });
  const win = dom.window;
  const globals = {
    window: win,
    document: win.document,
    navigator: win.navigator,
    location: win.location,
    history: win.history,
    sessionStorage: win.sessionStorage,
    localStorage: win.localStorage,
    PopStateEvent: win.PopStateEvent,
    IS_REACT_ACT_ENVIRONMENT: true,
  };
  for (const [name, value] of Object.entries(globals)) vi.stubGlobal(name, value);
  return win;
}

async function hydrateCallbackPage(prepare: (win: Window) => Promise<void>) {
  expect(typeof window).toBe('undefined');
  const serverHtml = renderToString(
    <CozeAuthProvider {...OPTIONS}>
      <CozeCallback />
    </CozeAuthProvider>,
  );
  const win = openBrowser(serverHtml);
  await prepare(win as unknown as Window);
  const consoleErrors: unknown[] = [];
  // act() warnings are the test's doing (the lazy view resolves outside act), not the library's.
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('not wrapped in act')) consoleErrors.push(args);
  });
  const recoverable: unknown[] = [];
  const onSuccess = vi.fn();
  const onError = vi.fn();
  const session = new CozeSession({ ...OPTIONS });
  const { hydrateRoot } = await import('react-dom/client');
  const container = win.document.getElementById('root')!;
  const root = await act(async () =>
    hydrateRoot(
      container,
      <CozeAuthProvider session={session}>
        <CozeCallback onSuccess={onSuccess} onError={onError} />
      </CozeAuthProvider>,
      { onRecoverableError: (error) => void recoverable.push(error) },
    ),
  );
  await vi.waitFor(() => expect(onSuccess.mock.calls.length + onError.mock.calls.length).toBeGreaterThan(0), { timeout: 5_000 });
  const result = { recoverable, consoleErrors, onSuccess, onError, session, search: win.location.search };
  await act(async () => root.unmount());
  return result;
}

describe('hostile3: hydrating the callback page', () => {
  it('signed out with a pending sign-in: no mismatch, one exchange, onSuccess(returnTo)', async () => {
    const model = freshModel();
    const result = await hydrateCallbackPage(async () => {
      const navigate = vi.fn();
      await new CozeSession({ ...OPTIONS, navigate }).login({ returnTo: '/after' });
      const callbackUrl = await model.approve(navigate.mock.calls[0]![0] as string);
      window.history.replaceState(null, '', callbackUrl);
    });
    expect(result.recoverable).toEqual([]);
    expect(result.consoleErrors).toEqual([]);
    expect(result.onError).not.toHaveBeenCalled();
    expect(result.onSuccess).toHaveBeenCalledWith('/after');
    expect(model.counters.tokenExchange).toBe(1);
    expect(result.search).toBe('');
  });

  it('signed in, a used callback URL (Back button): no mismatch, no exchange, leaves', async () => {
    const model = freshModel();
    const result = await hydrateCallbackPage(async () => {
      const now = Date.now();
      sessionStorage.setItem(
        `coze-auth.tokens.${OPTIONS.clientId}`,
        JSON.stringify({ accessToken: 'at', refreshToken: 'rt', expiresAt: now + 900_000, obtainedAt: now, tokenType: 'Bearer', sessionId: 's1' }),
      );
      window.history.replaceState(null, '', '/callback?code=used&state=used');
    });
    expect(result.recoverable).toEqual([]);
    expect(result.consoleErrors).toEqual([]);
    expect(result.onSuccess).toHaveBeenCalledWith('/');
    expect(model.counters.tokenExchange).toBe(0);
    expect(result.search).toBe('');
  });
});

describe('hostile3: a session built on a server', () => {
  it('loads nothing at construction; getToken/logout/mount then behave (typed errors, no crash, no leftovers)', async () => {
    expect(typeof window).toBe('undefined');
    const tokenStorage = createMemoryStorage();
    const session = new CozeSession({ ...OPTIONS, tokenStorage });
    expect(session.getSnapshot().status).toBe('signed-out');
    await expect(session.getToken()).rejects.toMatchObject({ code: 'login_required' });
    const unmount = session.mount();
    await new Promise((resolve) => setTimeout(resolve, 10));
    unmount();
    session.logout();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(session.handleRedirectCallback('http://localhost/callback?code=c&state=s')).rejects.toMatchObject({ name: 'CozeAuthError' });
  });
});
