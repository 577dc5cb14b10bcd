// @vitest-environment node
// Hostile review: server rendering. Fails against the current code; see the comment on the test.
import { JSDOM } from 'jsdom';
import { act, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../../src/core/storage/storageAdapters';
import { CozeQueryProvider, useCozeQuery } from '../../src/query/index';
import { CozeAuthProvider } from '../../src/react/index';
import { TEST_API_ORIGIN } from '../../src/testing/index';

const OPTIONS = { clientId: 'ssr-hostile', redirectUri: 'http://localhost/callback', baseURL: TEST_API_ORIGIN };

function Me(): ReactNode {
  // The query function never settles: no network is involved, only what the first render shows.
  const me = useCozeQuery(['users', 'me'], () => new Promise<never>(() => undefined), { retry: false });
  return <output data-testid="me">{me.fetchStatus}</output>;
}

function App({ tokenStorage }: { tokenStorage?: ReturnType<typeof createMemoryStorage> }): ReactNode {
  return (
    <CozeAuthProvider {...OPTIONS} tokenStorage={tokenStorage}>
      <CozeQueryProvider>
        <Me />
      </CozeQueryProvider>
    </CozeAuthProvider>
  );
}

function signedInStorage() {
  const storage = createMemoryStorage();
  const now = Date.now();
  storage.setItem(
    `coze-auth.tokens.${OPTIONS.clientId}`,
    JSON.stringify({ accessToken: 'at', refreshToken: 'rt', expiresAt: now + 900_000, obtainedAt: now, tokenType: 'Bearer', sessionId: 's1' }),
  );
  return storage;
}

describe('hostile: hydration', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  // useCozeQuery passes its live `getSessionId` as useSyncExternalStore's getServerSnapshot, so
  // during hydration the query is already enabled (sessionId from storage) while the server
  // rendered it disabled (no storage on a server): `fetchStatus` is 'idle' in the server markup and
  // 'fetching' in the first client render — the very "server snapshot = live state" mismatch the
  // design notes say is dead (useCozeAuth gets it right with LOADING_STATE).
  it('useCozeQuery hydrates a signed-in page without a mismatch', async () => {
    const html = renderToString(<App />);
    expect(html).toContain('idle');
    const dom = new JSDOM(`<!doctype html><html><body><div id="root">${html}</div></body></html>`, { url: 'http://localhost/' });
    const { window: win } = dom;
    const globals = { window: win, document: win.document, navigator: win.navigator, location: win.location, history: win.history };
    for (const [name, value] of Object.entries(globals)) vi.stubGlobal(name, value);
    vi.stubGlobal('IS_REACT_ACT_ENVIRONMENT', true);
    const consoleErrors: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void consoleErrors.push(args));
    const recoverable: unknown[] = [];
    const { hydrateRoot } = await import('react-dom/client');
    const container = win.document.getElementById('root')!;
    const root = await act(async () =>
      hydrateRoot(container, <App tokenStorage={signedInStorage()} />, {
        onRecoverableError: (error) => void recoverable.push(error),
      }),
    );
    await act(async () => root.unmount());
    expect(recoverable).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
