import { QueryClient } from '@tanstack/react-query';
import { Profiler, StrictMode, useEffect } from 'react';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CozeAPI } from '@coze/api';
import type { CozeAuthState } from '../../src/core/session/types';
import { CozeSession } from '../../src/core/session/CozeSession';
import { CozeQueryProvider, useCozeQuery } from '../../src/query/index';
import { CozeAuthProvider, useCozeAuth, useCozeClient, useCozeToken } from '../../src/react/index';
import { createTestClock } from '../../src/testing/index';
import { sessionOptions, signIn, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();
const START = Date.UTC(2026, 10, 25, 9, 0, 0);

async function signedInSession(ttl = 900) {
  const clock = createTestClock(START);
  // The server's clock can run ahead of the browser's (clock skew), as in real life.
  const server = { aheadMs: 0 };
  const model = fake.reset({ now: () => clock.now() + server.aheadMs, accessTokenTtlSeconds: ttl });
  const options = sessionOptions({ clock });
  const session = new CozeSession(options);
  await signIn(session, model, options.navigate);
  return { session, clock, model, options, server };
}

describe('hooks', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('useCozeAuth and useCozeToken expose state and actions', async () => {
    const { session } = await signedInSession();
    const { result } = renderHook(() => ({ auth: useCozeAuth(), token: useCozeToken() }), {
      wrapper: ({ children }) => <CozeAuthProvider session={session}>{children}</CozeAuthProvider>,
    });
    expect(result.current.auth).toMatchObject({ status: 'signed-in', isAuthenticated: true, error: undefined });
    expect(result.current.token.accessToken).toBe(session.getSnapshot().accessToken);
    await expect(result.current.token.getToken()).resolves.toBe(result.current.token.accessToken);
    act(() => result.current.auth.logout());
    expect(result.current.auth.status).toBe('signed-out');
    expect(result.current.token.accessToken).toBeUndefined();
  });

  it('throws a clear error outside the provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => renderHook(() => useCozeAuth())).toThrow(/CozeAuthProvider/);
  });

  it('useCozeToken re-renders only when its slice changes, not on every new state', async () => {
    const { session, clock } = await signedInSession();
    // The session publishes a new snapshot with the same token, expiry, status and error (what a
    // change to any other field looks like to this hook); a refresh then changes the slice.
    const published = { snapshot: undefined as CozeAuthState | undefined, listeners: new Set<() => void>() };
    const { getSnapshot, subscribe } = session;
    session.getSnapshot = () => published.snapshot ?? getSnapshot();
    session.subscribe = (listener) => {
      published.listeners.add(listener);
      const stop = subscribe(listener);
      return () => {
        published.listeners.delete(listener);
        stop();
      };
    };
    let renders = 0;
    function Token() {
      renders += 1;
      return <span>{useCozeToken().expiresAt}</span>;
    }
    render(
      <CozeAuthProvider session={session}>
        <Token />
      </CozeAuthProvider>,
    );
    const before = renders;
    act(() => {
      published.snapshot = { ...getSnapshot() };
      published.listeners.forEach((listener) => listener());
    });
    expect(renders).toBe(before);
    published.snapshot = undefined;
    clock.set(START + 899_000);
    await act(async () => {
      await session.refresh();
    });
    expect(renders).toBeGreaterThan(before);
  });

  it('useCozeClient returns one client that never re-renders its consumer on refresh', async () => {
    const { session, clock } = await signedInSession();
    const clients = new Set<CozeAPI>();
    const onRender = vi.fn();
    function Consumer() {
      clients.add(useCozeClient());
      return null;
    }
    render(
      <CozeAuthProvider session={session}>
        <Profiler id="consumer" onRender={onRender}>
          <Consumer />
        </Profiler>
      </CozeAuthProvider>,
    );
    const renders = onRender.mock.calls.length;
    const before = session.getSnapshot().accessToken;
    clock.set(START + 899_000);
    await act(async () => {
      await session.refresh();
    });
    expect(session.getSnapshot().accessToken).not.toBe(before);
    expect(onRender.mock.calls.length).toBe(renders);
    expect(clients.size).toBe(1);
  });

  it('the client sends a fresh token: users.me() works through the real @coze/api', async () => {
    const { session } = await signedInSession();
    const { result } = renderHook(() => useCozeClient(), {
      wrapper: ({ children }) => <CozeAuthProvider session={session}>{children}</CozeAuthProvider>,
    });
    const me = await result.current.users.me();
    expect(me.user_id).toBeTruthy();
    expect(fake.state.model.counters.api).toBe(1);
  });

  it('useCozeQuery waits for sign-in, namespaces keys per session, and logout removes cached data', async () => {
    const { session } = await signedInSession();
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    function Profile() {
      const me = useCozeQuery(['users', 'me'], (client) => client.users.me());
      const ws = useCozeQuery(['workspaces'], (client) => client.workspaces.list());
      return (
        <p>
          {me.data?.nick_name ?? 'loading'} / {ws.data?.workspaces.length ?? '…'}
        </p>
      );
    }
    render(
      <StrictMode>
        <CozeAuthProvider session={session}>
          <CozeQueryProvider queryClient={queryClient}>
            <Profile />
          </CozeQueryProvider>
        </CozeAuthProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getByText(/\/ \d+/)).toBeTruthy());
    const keys = queryClient.getQueryCache().findAll({ queryKey: ['coze'] }).map((q) => q.queryKey);
    expect(keys).toContainEqual(['coze', session.getSnapshot().sessionId, 'users', 'me']);
    const previousSession = session.getSnapshot().sessionId;
    act(() => session.logout());
    const left = queryClient.getQueryCache().findAll({ queryKey: ['coze'] });
    expect(left.filter((query) => query.queryKey[1] === previousSession)).toHaveLength(0);
    expect(left.every((query) => query.state.data === undefined)).toBe(true);
    expect(screen.getByText('loading / …')).toBeTruthy();
  });

  it('useCozeQuery without <CozeQueryProvider> says what is missing', async () => {
    const { session } = await signedInSession();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() =>
      renderHook(() => useCozeQuery(['users', 'me'], (client) => client.users.me()), {
        wrapper: ({ children }) => <CozeAuthProvider session={session}>{children}</CozeAuthProvider>,
      }),
    ).toThrow(/CozeQueryProvider/);
  });

  it('useCozeQuery forces one refresh and one retry on a 401', async () => {
    const { session, model, clock, server } = await signedInSession(900);
    // The server thinks the token expired (its clock is ahead); the client does not.
    server.aheadMs = 1_000_000;
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const seen: string[] = [];
    function Me() {
      const me = useCozeQuery(['me'], (client) => client.users.me());
      useEffect(() => {
        if (me.status !== 'pending') seen.push(me.status);
      }, [me.status]);
      return <p>{me.data?.user_name ?? me.status}</p>;
    }
    clock.set(START + 1_000);
    render(
      <CozeAuthProvider session={session}>
        <CozeQueryProvider queryClient={queryClient}>
          <Me />
        </CozeQueryProvider>
      </CozeAuthProvider>,
    );
    await waitFor(() => expect(seen).toContain('success'));
    expect(model.counters.apiUnauthorized).toBe(1);
    expect(model.counters.tokenRefresh).toBe(1);
  });
});
