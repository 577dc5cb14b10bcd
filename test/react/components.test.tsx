import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CozeAuthError } from '../../src/core/errors';
import { CozeSession } from '../../src/core/session/CozeSession';
import { CozeAuthProvider, CozeLoginButton, RequireCozeAuth } from '../../src/react/index';
import { TEST_API_ORIGIN, TEST_CLIENT_ID, TEST_WEB_ORIGIN } from '../../src/testing/index';
import { sessionOptions, signIn, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();

describe('<CozeLoginButton>', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('is a real, keyboard-reachable button that leaves for Coze and shows a pending state', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    render(
      <CozeAuthProvider session={session}>
        <CozeLoginButton returnTo="/reports" className="brand" />
      </CozeAuthProvider>,
    );
    const button = screen.getByRole('button', { name: 'Sign in with Coze' });
    expect(button.className).toBe('brand');
    await userEvent.tab();
    expect(document.activeElement).toBe(button);
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(options.navigate).toHaveBeenCalledTimes(1));
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(button.textContent).toBe('Redirecting to Coze…');
    const state = new URL(options.navigate.mock.calls[0]![0] as string).searchParams.get('state');
    expect(JSON.parse(sessionStorage.getItem(`coze-auth.tx.${TEST_CLIENT_ID}.${state}`)!).data.returnTo).toBe('/reports');
  });

  it('comes back usable from the back/forward cache', async () => {
    const session = new CozeSession(sessionOptions());
    render(
      <CozeAuthProvider session={session}>
        <CozeLoginButton />
      </CozeAuthProvider>,
    );
    await userEvent.click(screen.getByRole('button'));
    await waitFor(() => expect(screen.getByRole('button').getAttribute('data-state')).toBe('pending'));
    act(() => {
      const event = new Event('pageshow') as PageTransitionEvent;
      Object.defineProperty(event, 'persisted', { value: true });
      window.dispatchEvent(event);
    });
    expect(screen.getByRole('button').getAttribute('data-state')).toBe('idle');
  });

  it('reports an unsafe returnTo through onError and goes back to idle', async () => {
    const options = sessionOptions();
    const onError = vi.fn();
    render(
      <CozeAuthProvider session={new CozeSession(options)}>
        <CozeLoginButton returnTo="//evil.example" onError={onError}>
          Log in
        </CozeLoginButton>
      </CozeAuthProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(onError.mock.calls[0]![0]).toBeInstanceOf(CozeAuthError);
    expect(onError.mock.calls[0]![0].code).toBe('unsafe_return_to');
    expect(screen.getByRole('button').getAttribute('data-state')).toBe('idle');
    expect(options.navigate).not.toHaveBeenCalled();
  });
});

describe('<RequireCozeAuth>', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('renders children when signed in', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    await signIn(session, fake.state.model, options.navigate);
    options.navigate.mockClear();
    render(
      <CozeAuthProvider session={session}>
        <RequireCozeAuth>secret page</RequireCozeAuth>
      </CozeAuthProvider>,
    );
    expect(screen.getByText('secret page')).toBeTruthy();
    expect(options.navigate).not.toHaveBeenCalled();
  });

  it('starts sign-in exactly once when signed out, even under StrictMode', async () => {
    const options = sessionOptions();
    render(
      <StrictMode>
        <CozeAuthProvider session={new CozeSession(options)}>
          <RequireCozeAuth returnTo="/private">secret page</RequireCozeAuth>
        </CozeAuthProvider>
      </StrictMode>,
    );
    expect(screen.queryByText('secret page')).toBeNull();
    await waitFor(() => expect(options.navigate).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(options.navigate).toHaveBeenCalledTimes(1);
  });

  it('stops on an error instead of redirecting again', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    await session.handleRedirectCallback('http://localhost:3000/callback?error=access_denied&state=nope').catch(() => undefined);
    render(
      <CozeAuthProvider session={session}>
        <RequireCozeAuth>secret page</RequireCozeAuth>
      </CozeAuthProvider>,
    );
    // The notice (and every language's error text) loads the first time an error is shown.
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('state_mismatch');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(options.navigate).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(options.navigate).toHaveBeenCalledTimes(1));
  });

  it('does not redirect when autoRedirect is off', async () => {
    const options = sessionOptions();
    render(
      <CozeAuthProvider session={new CozeSession(options)}>
        <RequireCozeAuth autoRedirect={false} fallback={<p>please sign in</p>}>
          secret page
        </RequireCozeAuth>
      </CozeAuthProvider>,
    );
    expect(screen.getByText('please sign in')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(options.navigate).not.toHaveBeenCalled();
  });
});

describe('<CozeAuthProvider>', () => {
  it('builds its own session from props', () => {
    fake.reset();
    render(
      <CozeAuthProvider clientId={TEST_CLIENT_ID} redirectUri="http://localhost:3000/callback" baseURL={TEST_API_ORIGIN} webBaseURL={TEST_WEB_ORIGIN}>
        <CozeLoginButton />
      </CozeAuthProvider>,
    );
    expect(screen.getByRole('button', { name: 'Sign in with Coze' })).toBeTruthy();
  });
});
