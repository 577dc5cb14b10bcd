// React-side defects of the lifecycle review (numbers follow the issue).
import { act, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { CozeAuthProvider, CozeCallback, RequireCozeAuth, useCozeAuth, useCozeSession } from '../../src/react/index';
import { TEST_API_ORIGIN, TEST_CLIENT_ID, TEST_WEB_ORIGIN, flushAsync, testRedirectUri } from '../../src/testing/index';
import { sessionOptions, signIn, setupFakeCoze, landOnCallback } from '../helpers/harness';

const fake = setupFakeCoze();

describe('callback page', () => {
  beforeEach(() => {
    fake.reset();
  });
  afterEach(() => {
    sessionStorage.clear();
  });

  it('5. a <CozeCallback> remounted mid-exchange still gets the result and calls onSuccess once', async () => {
    await landOnCallback(fake.state.model, '/after');
    const session = new CozeSession(sessionOptions());
    fake.state.model.setLatency(300);
    const onSuccess = vi.fn();
    function Remounting() {
      const [key, setKey] = useState(0);
      return (
        <>
          <button type="button" onClick={() => setKey((k) => k + 1)}>
            remount
          </button>
          <CozeCallback key={key} onSuccess={onSuccess} />
        </>
      );
    }
    render(
      <CozeAuthProvider session={session}>
        <Remounting />
      </CozeAuthProvider>,
    );
    // Remount once the URL is clean but the exchange is still out (a router re-key, Suspense).
    await waitFor(() => expect(window.location.search).toBe(''));
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    act(() => screen.getByText('remount').click());
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/after'));
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  it('6. a <RequireCozeAuth> around the callback never starts a second sign-in', async () => {
    await landOnCallback(fake.state.model, '/after');
    const options = sessionOptions();
    const session = new CozeSession(options);
    const onSuccess = vi.fn();
    render(
      <StrictMode>
        <CozeAuthProvider session={session}>
          <RequireCozeAuth>
            <p>protected</p>
          </RequireCozeAuth>
          <CozeCallback onSuccess={onSuccess} />
        </CozeAuthProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(onSuccess).toHaveBeenCalled());
    await flushAsync();
    expect(options.navigate).not.toHaveBeenCalled();
    expect(screen.getByText('protected')).toBeTruthy();
  });
});

describe('12. changed provider options', () => {
  it('build a new session instead of being ignored', async () => {
    fake.reset();
    function ClientId() {
      return <span data-testid="client">{useCozeSession().config.clientId}</span>;
    }
    const props = { redirectUri: testRedirectUri(), baseURL: TEST_API_ORIGIN, webBaseURL: TEST_WEB_ORIGIN };
    const { rerender } = render(
      <CozeAuthProvider clientId={TEST_CLIENT_ID} {...props}>
        <ClientId />
      </CozeAuthProvider>,
    );
    expect(screen.getByTestId('client').textContent).toBe(TEST_CLIENT_ID);
    rerender(
      <CozeAuthProvider clientId="another-app" {...props}>
        <ClientId />
      </CozeAuthProvider>,
    );
    expect(screen.getByTestId('client').textContent).toBe('another-app');
  });

  it('keep the same session across renders with equal options', () => {
    fake.reset();
    const seen = new Set<CozeSession>();
    function Probe() {
      seen.add(useCozeSession());
      return <span>{useCozeAuth().status}</span>;
    }
    const props = { clientId: TEST_CLIENT_ID, redirectUri: testRedirectUri(), baseURL: TEST_API_ORIGIN };
    const { rerender } = render(
      <StrictMode>
        <CozeAuthProvider {...props}>
          <Probe />
        </CozeAuthProvider>
      </StrictMode>,
    );
    const first = [...seen].at(-1);
    rerender(
      <StrictMode>
        <CozeAuthProvider {...props}>
          <Probe />
        </CozeAuthProvider>
      </StrictMode>,
    );
    expect([...seen].at(-1)).toBe(first);
  });
});

describe('prefetching the sign-in code', () => {
  it('happens when signed out and idle, and never for a signed-in user', async () => {
    const model = fake.reset();
    const signedOut = new CozeSession(sessionOptions());
    const outSpy = vi.spyOn(signedOut, 'prefetchSignIn');
    const inOptions = sessionOptions();
    const signedIn = new CozeSession(inOptions);
    await signIn(signedIn, model, inOptions.navigate);
    const inSpy = vi.spyOn(signedIn, 'prefetchSignIn');
    render(
      <>
        <CozeAuthProvider session={signedOut}>
          <span />
        </CozeAuthProvider>
        <CozeAuthProvider session={signedIn}>
          <span />
        </CozeAuthProvider>
      </>,
    );
    await waitFor(() => expect(outSpy).toHaveBeenCalled(), { timeout: 3_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(inSpy).not.toHaveBeenCalled();
  });
});
