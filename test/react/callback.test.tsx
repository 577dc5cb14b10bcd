import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { CozeAuthProvider, CozeCallback, useCozeAuth } from '../../src/react/index';
import { sessionOptions, startSignIn, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();

function Status() {
  const { status } = useCozeAuth();
  return <span data-testid="status">{status}</span>;
}

async function landOnCallback(returnTo = '/after') {
  const options = sessionOptions();
  const session = new CozeSession(options);
  const callbackUrl = await startSignIn(session, fake.state.model, options.navigate, returnTo);
  window.history.replaceState(null, '', callbackUrl);
  options.navigate.mockClear();
  return { session, options, callbackUrl };
}

describe('<CozeCallback>', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('exchanges once under StrictMode, strips the URL and calls onSuccess once', async () => {
    const { session } = await landOnCallback('/after?x=1');
    const onSuccess = vi.fn();
    render(
      <StrictMode>
        <CozeAuthProvider session={session}>
          <CozeCallback onSuccess={onSuccess} />
          <Status />
        </CozeAuthProvider>
      </StrictMode>,
    );
    expect(screen.getByRole('status').textContent).toContain('Signing you in');
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/after?x=1'));
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(window.location.search).toBe('');
    expect(screen.getByTestId('status').textContent).toContain('signed-in');
  });

  it('two mounted callbacks still exchange once and navigate once (default: replace the URL)', async () => {
    const { session } = await landOnCallback('/home');
    const popstate = vi.fn();
    window.addEventListener('popstate', popstate);
    render(
      <CozeAuthProvider session={session}>
        <CozeCallback />
        <CozeCallback />
      </CozeAuthProvider>,
    );
    await waitFor(() => expect(window.location.pathname).toBe('/home'));
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(popstate).toHaveBeenCalledTimes(1);
    window.removeEventListener('popstate', popstate);
  });

  it('uses the provider’s onRedirectCallback when given', async () => {
    const { session } = await landOnCallback('/from-provider');
    const onRedirectCallback = vi.fn();
    render(
      <CozeAuthProvider session={session} onRedirectCallback={onRedirectCallback}>
        <CozeCallback />
      </CozeAuthProvider>,
    );
    await waitFor(() => expect(onRedirectCallback).toHaveBeenCalledWith('/from-provider'));
  });

  it('renders a cancelled consent as an alert with a working "Try again", and never redirects by itself', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    await session.login();
    const callbackUrl = await fake.state.model.deny(options.navigate.mock.calls[0]![0] as string);
    window.history.replaceState(null, '', callbackUrl);
    options.navigate.mockClear();
    const onError = vi.fn();
    render(
      <CozeAuthProvider session={session}>
        <CozeCallback onError={onError} />
      </CozeAuthProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('access_denied');
    expect(alert.textContent).toContain('You cancelled the authorization on Coze.');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(options.navigate).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(options.navigate).toHaveBeenCalledTimes(1));
    expect(options.navigate.mock.calls[0]![0]).toContain('/api/permission/oauth2/authorize');
  });

  it('renders a custom error and loading UI', async () => {
    window.history.replaceState(null, '', '/callback?code=abc&state=unknown');
    const session = new CozeSession(sessionOptions());
    render(
      <CozeAuthProvider session={session}>
        <CozeCallback loading={<span>wait</span>} error={(error) => <p role="alert">custom {error.code}</p>} />
      </CozeAuthProvider>,
    );
    expect(screen.getByText('wait')).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toContain('custom state_mismatch');
    expect(fake.state.model.counters.tokenExchange).toBe(0);
  });

  it('completes even if unmounted and remounted mid-exchange', async () => {
    const { session } = await landOnCallback('/again');
    fake.state.model.setLatency(50);
    const onSuccess = vi.fn();
    const view = render(
      <CozeAuthProvider session={session}>
        <CozeCallback onSuccess={onSuccess} />
      </CozeAuthProvider>,
    );
    view.unmount();
    // The remounted page component reads the URL the session already stripped; the module-level
    // registry still finishes the one exchange.
    await waitFor(() => expect(session.getSnapshot().status).toBe('signed-in'));
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });
});
