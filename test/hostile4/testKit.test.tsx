import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useCozeAuth } from '../../src/react/index';
import { createTestCozeAuth, flushAsync, MockCozeAuthProvider } from '../../src/testing/index';

function Status({ id }: { id: string }) {
  const auth = useCozeAuth();
  return <p data-testid={id}>{auth.status}</p>;
}

describe('hostile4: the public test kit', () => {
  it('two kits in one test are independent: signing one out leaves the other signed in', async () => {
    const alice = await createTestCozeAuth({ user: { user_id: 'alice', nick_name: 'Alice' } });
    const bob = await createTestCozeAuth({ user: { user_id: 'bob', nick_name: 'Bob' } });
    render(
      <>
        <MockCozeAuthProvider auth={alice}>
          <Status id="a" />
        </MockCozeAuthProvider>
        <MockCozeAuthProvider auth={bob}>
          <Status id="b" />
        </MockCozeAuthProvider>
      </>,
    );
    await waitFor(() => expect(screen.getByTestId('b').textContent).toBe('signed-in'));
    await act(async () => {
      alice.session.logout();
      await flushAsync();
    });
    expect(screen.getByTestId('a').textContent).toBe('signed-out');
    expect(bob.session.getSnapshot().status).toBe('signed-in');
    expect(bob.events.map((e) => e.type)).not.toContain('signed-out');
  });

  it('the event log holds no token and no authorization code', async () => {
    const auth = await createTestCozeAuth({ state: 'signed-out' });
    render(
      <MockCozeAuthProvider auth={auth}>
        <Status id="s" />
      </MockCozeAuthProvider>,
    );
    const callbackUrl = await auth.prepareCallback({ returnTo: '/x' });
    const code = new URL(callbackUrl).searchParams.get('code')!;
    await act(async () => {
      await auth.session.handleRedirectCallback(callbackUrl);
    });
    const { accessToken } = auth.session.getSnapshot();
    // A second use of the spent code (an error), then a failed refresh (an error).
    await act(async () => {
      await auth.session.handleRedirectCallback(callbackUrl).catch(() => undefined);
      await auth.expireSession();
    });
    const log = JSON.stringify(auth.events, (_k, v) => (v instanceof Error ? { ...v, message: v.message, stack: v.stack, cause: String(v.cause) } : v));
    expect(auth.events.length).toBeGreaterThan(0);
    expect(log).not.toContain(code);
    expect(log).not.toContain(accessToken!);
  });
});
