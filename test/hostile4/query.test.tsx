import { keepPreviousData, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CozeQueryProvider, useCozeQuery } from '../../src/query/index';
import { CozeAuthProvider } from '../../src/react/index';
import { createTestCozeAuth, MockCozeAuthProvider } from '../../src/testing/index';

function Me({ keep = false }: { keep?: boolean }) {
  const me = useCozeQuery(['users', 'me'], (client) => client.users.me(), keep ? { placeholderData: keepPreviousData } : {});
  return <p data-testid="me">{me.data?.nick_name ?? 'nobody'}</p>;
}

describe('hostile4: useCozeQuery and sign-out', () => {
  it('after sign-out, a query with placeholderData: keepPreviousData no longer shows the previous user', async () => {
    const auth = await createTestCozeAuth({ user: { nick_name: 'Alice' } });
    render(
      <MockCozeAuthProvider auth={auth}>
        <Me keep />
      </MockCozeAuthProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('me').textContent).toBe('Alice'));
    act(() => auth.session.logout());
    expect(auth.session.getSnapshot().status).toBe('signed-out');
    // "The next user of this browser must never see the previous user's data."
    expect(screen.getByTestId('me').textContent).toBe('nobody');
  });

  it("signing out of one session keeps another session's cached queries (one shared QueryClient)", async () => {
    const alice = await createTestCozeAuth({ user: { user_id: 'alice', nick_name: 'Alice' } });
    const bob = await createTestCozeAuth({ user: { user_id: 'bob', nick_name: 'Bob' } });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
    function Who({ id }: { id: string }) {
      const me = useCozeQuery(['users', 'me'], (client) => client.users.me());
      return <p data-testid={id}>{me.data?.nick_name ?? 'nobody'}</p>;
    }
    render(
      <QueryClientProvider client={queryClient}>
        <CozeAuthProvider session={alice.session} clientOptions={alice.clientOptions}>
          <CozeQueryProvider>
            <Who id="a" />
          </CozeQueryProvider>
        </CozeAuthProvider>
        <CozeAuthProvider session={bob.session} clientOptions={bob.clientOptions}>
          <CozeQueryProvider>
            <Who id="b" />
          </CozeQueryProvider>
        </CozeAuthProvider>
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('a').textContent).toBe('Alice'));
    await waitFor(() => expect(screen.getByTestId('b').textContent).toBe('Bob'));
    const bobSession = bob.session.getSnapshot().sessionId;
    const bobApiCalls = bob.model.counters.api;
    act(() => alice.session.logout());
    // Bob is still signed in: his cached profile should survive Alice's sign-out.
    const bobQueries = queryClient.getQueryCache().findAll({ queryKey: ['coze', bobSession] });
    expect(bobQueries.map((q) => q.state.data !== undefined)).toEqual([true]);
    await new Promise((r) => setTimeout(r, 50));
    expect(bob.model.counters.api).toBe(bobApiCalls);
  });

  // Before the split, <CozeAuthProvider> inside the app's own QueryClientProvider removed Coze
  // queries on sign-out. Now that needs useCozeQueryCleanup(), but useCozeQuery does not say so:
  // it only checks that *a* query client exists. An app upgrading with its own QueryClientProvider
  // keeps working silently and keeps the previous user's data cached after sign-out.
  it("inside the app's own QueryClientProvider without cleanup: either a clear error or no data left after sign-out", async () => {
    const auth = await createTestCozeAuth({ user: { nick_name: 'Alice' } });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    let threw: unknown;
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      render(
        <QueryClientProvider client={queryClient}>
          <CozeAuthProvider session={auth.session} clientOptions={auth.clientOptions}>
            <Me />
          </CozeAuthProvider>
        </QueryClientProvider>,
      );
    } catch (error) {
      threw = error;
    }
    spy.mockRestore();
    if (threw) {
      expect(String(threw)).toMatch(/useCozeQueryCleanup|CozeQueryProvider/);
      return;
    }
    await waitFor(() => expect(screen.getByTestId('me').textContent).toBe('Alice'));
    act(() => auth.session.logout());
    const cached = queryClient.getQueryCache().findAll({ queryKey: ['coze'] }).filter((q) => q.state.data !== undefined);
    expect(cached.map((q) => q.queryKey)).toEqual([]);
  });
});
