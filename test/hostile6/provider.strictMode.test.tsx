// Hostile review 6: the early code exchange through the React provider (options mode, the session
// built during render and memoised on option values) under StrictMode.
import { act, render, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { CozeAuthProvider, CozeCallback, useCozeAuth } from '../../src/react/index';
import { testSessionOptions, TEST_CLIENT_ID } from '../../src/testing/index';
import { landOnCallback, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();

function Status() {
  const { status } = useCozeAuth();
  return <p data-testid="status">{status}</p>;
}

describe('hostile6: the early exchange through <CozeAuthProvider> in StrictMode', () => {
  it('held: StrictMode, options mode, <CozeCallback>: one exchange, signed in, onSuccess once, the bar clean, no record left', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/strict-after');
    const { clientId, redirectUri, baseURL, webBaseURL } = testSessionOptions();
    const onSuccess = vi.fn();
    const view = render(
      <StrictMode>
        <CozeAuthProvider clientId={clientId} redirectUri={redirectUri} baseURL={baseURL} webBaseURL={webBaseURL}>
          <CozeCallback onSuccess={onSuccess} />
          <Status />
        </CozeAuthProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(view.getByTestId('status').textContent).toBe('signed-in'));
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 20)));
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(onSuccess).toHaveBeenCalledWith('/strict-after');
    expect(model.counters.tokenExchange).toBe(1);
    expect(window.location.search).toBe('');
    expect(Object.keys(sessionStorage).filter((key) => key.startsWith(`coze-auth.tx.${TEST_CLIENT_ID}.`))).toEqual([]);
    view.unmount();
  });

  it('held: StrictMode, options mode, no <CozeCallback> (the mount completes it): one exchange, signed in, the bar clean', async () => {
    const model = fake.reset();
    await landOnCallback(model);
    const { clientId, redirectUri, baseURL, webBaseURL } = testSessionOptions();
    const view = render(
      <StrictMode>
        <CozeAuthProvider clientId={clientId} redirectUri={redirectUri} baseURL={baseURL} webBaseURL={webBaseURL}>
          <Status />
        </CozeAuthProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(view.getByTestId('status').textContent).toBe('signed-in'));
    expect(model.counters.tokenExchange).toBe(1);
    expect(new URL(window.location.href).searchParams.get('code')).toBeNull();
    view.unmount();
  });
});
