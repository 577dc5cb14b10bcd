import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CozeLoginButton, useCozeAuth, useCozeQuery } from '../../src/index';
import { MockCozeAuthProvider, TEST_CLIENT_ID, createTestCozeAuth } from '../../src/testing/index';

function Profile() {
  const { status, error } = useCozeAuth();
  const me = useCozeQuery(['users', 'me'], (client) => client.users.me());
  if (error) return <p role="alert">{error.code}</p>;
  if (status !== 'signed-in') return <CozeLoginButton />;
  return <p>Signed in as {me.data?.nick_name ?? '…'}</p>;
}

describe('react-coze-auth/testing', () => {
  it('renders an app signed in as a given user in one line, through the real client', async () => {
    render(
      <MockCozeAuthProvider user={{ nick_name: 'Grace Hopper' }}>
        <Profile />
      </MockCozeAuthProvider>,
    );
    expect(await screen.findByText('Signed in as Grace Hopper')).toBeTruthy();
  });

  it('renders an expired session as a typed error', async () => {
    render(
      <MockCozeAuthProvider state="expired">
        <Profile />
      </MockCozeAuthProvider>,
    );
    expect((await screen.findByRole('alert')).textContent).toBe('invalid_grant');
  });

  it('drives a whole login from a signed-out start', async () => {
    const auth = await createTestCozeAuth({ state: 'signed-out', user: { nick_name: 'Ada' } });
    render(
      <MockCozeAuthProvider auth={auth}>
        <Profile />
      </MockCozeAuthProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sign in with Coze' }));
    await act(() => auth.completeLogin());
    expect(await screen.findByText('Signed in as Ada')).toBeTruthy();
    expect(auth.model.counters.tokenExchange).toBe(1);
  });

  it('speaks the language the test asks for', async () => {
    const auth = await createTestCozeAuth({ state: 'signed-out' });
    render(
      <MockCozeAuthProvider auth={auth} locale="zh-CN" messages={{ redirecting: '稍等…' }}>
        <Profile />
      </MockCozeAuthProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: '使用扣子登录' }));
    expect(await screen.findByRole('button', { name: '稍等…' })).toBeTruthy();
  });

  it('controls time: refresh happens when the test clock passes the due time', async () => {
    const auth = await createTestCozeAuth({ accessTokenTtlSeconds: 60 });
    render(
      <MockCozeAuthProvider auth={auth}>
        <Profile />
      </MockCozeAuthProvider>,
    );
    await screen.findByText(/Signed in as/);
    const before = auth.session.getSnapshot().accessToken;
    await act(() => auth.clock.advance(50_000));
    await waitFor(() => expect(auth.model.counters.tokenRefresh).toBe(1));
    expect(auth.session.getSnapshot().accessToken).not.toBe(before);
  });

  it('ends the session on demand, and cached data disappears', async () => {
    const auth = await createTestCozeAuth();
    render(
      <MockCozeAuthProvider auth={auth}>
        <Profile />
      </MockCozeAuthProvider>,
    );
    await screen.findByText(/Signed in as Ada Lovelace/);
    await act(() => auth.expireSession());
    expect((await screen.findByRole('alert')).textContent).toBe('invalid_grant');
  });

  it('shows where the app left for, lets Coze answer, and logs what the session did', async () => {
    const auth = await createTestCozeAuth({ state: 'signed-out', session: { refreshSkewSeconds: 30 } });
    const leftFor: string[] = [];
    auth.onNavigate((url) => leftFor.push(url));
    render(
      <MockCozeAuthProvider auth={auth}>
        <Profile />
      </MockCozeAuthProvider>,
    );
    await userEvent.click(await screen.findByRole('button'));
    await waitFor(() => expect(auth.pendingLogin).toBeDefined());
    expect(leftFor).toEqual([auth.pendingLogin]);
    expect(new URL(auth.pendingLogin ?? '').searchParams.get('client_id')).toBe(TEST_CLIENT_ID);
    expect(auth.session.config.refreshSkewSeconds).toBe(30);
    await act(() => auth.completeLogin());
    expect(auth.pendingLogin).toBeUndefined();
    await screen.findByText(/Signed in as Ada Lovelace/);
    expect(auth.events.map((event) => event.type)).toEqual(['signed-in']);
  });

  it('signs in through Coze when the session keeps tokens in a named storage', async () => {
    const auth = await createTestCozeAuth({ session: { tokenStorage: 'memory' } });
    expect(auth.session.getSnapshot().status).toBe('signed-in');
    expect(auth.model.counters.tokenExchange).toBe(0);
    expect(auth.events).toEqual([]);
  });
});
