import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import {
  COZE_QUERY_SCOPE,
  CozeCallback,
  CozeLoginButton,
  RequireCozeAuth,
  isCozeAuthError,
  isCozeUnauthorized,
  useCozeAuth,
  useCozeClient,
  useCozeQuery,
  useCozeSession,
  useCozeToken,
  type CozeAuthEvent,
} from 'react-coze-auth';
import { ChatPanel } from '../../../demo/src/components/ChatPanel';
import { readEnv, readReturnTo, type E2EFlags } from './config';
import { setCozeQueryCounter, updateProbe, useProbe, type RecordedEvent } from './probe';
import type { CozeAPI } from '@coze/api';

const BURST_SIZE = 20;

// ── routing: the path, re-read on popstate (how <CozeCallback> announces its navigation) ──

const subscribeToLocation = (onChange: () => void) => {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
};
const currentLocation = () => `${window.location.pathname}${window.location.search}${window.location.hash}`;

function useLocationPath(): string {
  return useSyncExternalStore(subscribeToLocation, currentLocation);
}

// ── API calls through the library's CozeAPI client ──

function describeError(error: unknown): string {
  if (isCozeAuthError(error)) return error.code;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

async function callUsersMe(client: CozeAPI): Promise<void> {
  updateProbe((s) => ({ apiStarted: s.apiStarted + 1 }));
  try {
    await client.users.me();
    updateProbe((s) => ({ apiOk: s.apiOk + 1 }));
  } catch (error) {
    if (isCozeUnauthorized(error)) updateProbe((s) => ({ api401: s.api401 + 1, lastApiError: 'unauthorized' }));
    else updateProbe((s) => ({ apiFail: s.apiFail + 1, lastApiError: describeError(error) }));
  }
}

// ── session observers ──

function toRecorded(event: CozeAuthEvent): RecordedEvent {
  const recorded: RecordedEvent = { type: event.type, at: Date.now() };
  switch (event.type) {
    case 'signed-in':
      return { ...recorded, expiresAt: event.expiresAt };
    case 'refreshed':
      return { ...recorded, expiresAt: event.expiresAt, source: event.source };
    case 'refresh-retry':
      return { ...recorded, errorCode: event.error.code, attempt: event.attempt, delayMs: event.delayMs };
    case 'signed-out':
      return { ...recorded, reason: event.reason, ...(event.error ? { errorCode: event.error.code } : {}) };
    case 'storage-failed':
      return { ...recorded, errorCode: event.error.code };
    case 'error':
      return { ...recorded, errorCode: event.error.code };
  }
}

/** Records session events and every status change (a signed-out flash shows up here even if React never paints it). */
function SessionObserver(): null {
  const session = useCozeSession();
  useEffect(() => {
    if (window.__e2e) window.__e2e.session = session;
  }, [session]);
  useEffect(() => session.onEvent((event) => updateProbe((s) => ({ events: [...s.events, toRecorded(event)] }))), [session]);
  useEffect(() => {
    const observe = () => {
      const { status } = session.getSnapshot();
      updateProbe((s) => {
        const last = s.statusHistory[s.statusHistory.length - 1];
        if (status === last) return {};
        return {
          statusHistory: [...s.statusHistory, status],
          signedOutTransitions: s.signedOutTransitions + (last === 'signed-in' ? 1 : 0),
        };
      });
    };
    observe();
    return session.subscribe(observe);
  }, [session]);
  return null;
}

/** Counts how often a mount-only effect runs: twice under StrictMode in development. */
function StrictModeProbe(): null {
  useEffect(() => updateProbe((s) => ({ mountEffects: s.mountEffects + 1 })), []);
  return null;
}

/** Lets tests count the cached Coze queries (`window.__e2e.cozeQueries()`). */
function QueryCacheProbe(): null {
  const queryClient = useQueryClient();
  useEffect(() => setCozeQueryCounter(() => queryClient.getQueryCache().findAll({ queryKey: [COZE_QUERY_SCOPE] }).length), [queryClient]);
  return null;
}

// ── panels ──

function StatusPanel(): ReactNode {
  const { status, isAuthenticated, error } = useCozeAuth();
  const { accessToken, expiresAt, isRefreshing } = useCozeToken();
  const path = useLocationPath();
  const probe = useProbe();
  return (
    <dl>
      <dt>status</dt>
      <dd data-testid="status">{status}</dd>
      <dt>authenticated</dt>
      <dd data-testid="authenticated">{String(isAuthenticated)}</dd>
      <dt>error</dt>
      <dd data-testid="error-code">{error?.code ?? ''}</dd>
      <dd data-testid="error-message">{error?.message ?? ''}</dd>
      <dt>path</dt>
      <dd data-testid="path">{path}</dd>
      <dt>token</dt>
      <dd data-testid="access-token">{accessToken ?? ''}</dd>
      <dd data-testid="expires-at">{expiresAt ?? ''}</dd>
      <dd data-testid="is-refreshing">{String(isRefreshing)}</dd>
      <dt>left signed-in</dt>
      <dd data-testid="signed-out-transitions">{probe.signedOutTransitions}</dd>
      <dt>events</dt>
      <dd data-testid="refreshed-count">{probe.events.filter((e) => e.type === 'refreshed').length}</dd>
      <dt>token writes that failed</dt>
      <dd data-testid="storage-failed-count">{probe.events.filter((e) => e.type === 'storage-failed').length}</dd>
    </dl>
  );
}

/** Every session event so far, oldest first (type, and the error code when there is one). */
function EventsPanel(): ReactNode {
  const { events } = useProbe();
  return (
    <ol data-testid="events">
      {events.map((event, index) => (
        <li key={index} data-event-type={event.type}>
          {event.type}
          {event.errorCode ? ` (${event.errorCode})` : ''}
        </li>
      ))}
    </ol>
  );
}

function ApiPanel({ pollMs }: { pollMs: number }): ReactNode {
  const client = useCozeClient();
  const probe = useProbe();
  useEffect(() => {
    if (!pollMs) return;
    const id = window.setInterval(() => void callUsersMe(client), pollMs);
    return () => window.clearInterval(id);
  }, [client, pollMs]);
  return (
    <section>
      <button type="button" data-testid="call-api" onClick={() => void callUsersMe(client)}>
        Call /v1/users/me
      </button>
      <button
        type="button"
        data-testid="burst"
        onClick={() => {
          void Promise.all(Array.from({ length: BURST_SIZE }, () => callUsersMe(client))).then(() =>
            updateProbe((s) => ({ bursts: s.bursts + 1 })),
          );
        }}
      >
        {BURST_SIZE} calls at once
      </button>
      <output data-testid="api-started">{probe.apiStarted}</output>
      <output data-testid="api-ok">{probe.apiOk}</output>
      <output data-testid="api-401">{probe.api401}</output>
      <output data-testid="api-fail">{probe.apiFail}</output>
      <output data-testid="last-api-error">{probe.lastApiError}</output>
      <output data-testid="bursts">{probe.bursts}</output>
    </section>
  );
}

/** The user through useCozeQuery (cached, namespaced per session). */
function Profile(): ReactNode {
  const me = useCozeQuery(['users', 'me'], (client) => client.users.me());
  return (
    <section>
      <p data-testid="user-name">{me.data?.nick_name ?? ''}</p>
      <p data-testid="me-status">{me.status}</p>
      <button type="button" data-testid="refetch-me" onClick={() => void me.refetch()}>
        Reload profile
      </button>
    </section>
  );
}

/** The user straight through useCozeClient. */
function ClientMe(): ReactNode {
  const client = useCozeClient();
  const { sessionId } = useCozeAuth();
  const [name, setName] = useState('');
  useEffect(() => {
    let live = true;
    client.users.me().then(
      (user) => live && setName(user.nick_name),
      (error: unknown) => live && setName(`error: ${describeError(error)}`),
    );
    return () => {
      live = false;
    };
  }, [client, sessionId]);
  return <p data-testid="client-user-name">{name}</p>;
}

function Home(): ReactNode {
  const { isAuthenticated, login, logout } = useCozeAuth();
  const { refresh } = useCozeToken();
  const [returnTo] = useState(readReturnTo);
  const [loginError, setLoginError] = useState('');
  const [hookReturnTo, setHookReturnTo] = useState('');

  if (!isAuthenticated) {
    return (
      <section>
        <CozeLoginButton data-testid="login" {...(returnTo === undefined ? {} : { returnTo })} onError={(e) => setLoginError(e.code)} />
        <input data-testid="returnto-input" value={hookReturnTo} onChange={(e) => setHookReturnTo(e.target.value)} />
        <button
          type="button"
          data-testid="login-hook"
          onClick={() => void login({ returnTo: hookReturnTo }).catch((e: unknown) => setLoginError(describeError(e)))}
        >
          login() with that returnTo
        </button>
        <p data-testid="login-error">{loginError}</p>
      </section>
    );
  }
  return (
    <section>
      <Profile />
      <ClientMe />
      <button type="button" data-testid="refresh" onClick={() => void refresh().catch(() => undefined)}>
        Refresh now
      </button>
      <button type="button" data-testid="logout" onClick={logout}>
        Sign out
      </button>
    </section>
  );
}

export function App({ flags }: { flags: E2EFlags }): ReactNode {
  const path = useLocationPath().split(/[?#]/)[0];
  let route: ReactNode;
  if (path === '/callback') {
    route = (
      <section data-testid="callback">
        <CozeCallback />
      </section>
    );
  } else if (path === '/guarded') {
    route = (
      <RequireCozeAuth>
        <Home />
      </RequireCozeAuth>
    );
  } else if (path === '/chat') {
    // The demo's chat panel, as it is: it streams through useCozeClient() and stops on demand.
    route = (
      <>
        <Home />
        <ChatPanel botId={readEnv()?.botId} />
      </>
    );
  } else {
    route = <Home />;
  }
  return (
    <main>
      <SessionObserver />
      <QueryCacheProbe />
      <StrictModeProbe />
      <StatusPanel />
      <ApiPanel pollMs={flags.poll} />
      {route}
      <EventsPanel />
    </main>
  );
}
