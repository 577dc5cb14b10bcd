// @vitest-environment node
// Hostile review: server rendering. Fails against the current code; see the comment on the test.
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../../src/core/storage/storageAdapters';
import { CozeQueryProvider, useCozeQuery } from '../../src/query/index';
import { CozeAuthProvider } from '../../src/react/index';
import { TEST_API_ORIGIN } from '../../src/testing/index';
import { hydrate, signedInStorage } from '../helpers/ssr';

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
    const { recoverable, consoleErrors } = await hydrate(html, <App tokenStorage={signedInStorage(OPTIONS.clientId)} />);
    expect(recoverable).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
