// Hostile review 10: the join through React 19 StrictMode (useMemo builds every session twice),
// a provider built from options and rebuilt (options changed) while its exchange is on the wire.
import { render, screen, waitFor } from '@testing-library/react';
import { StrictMode, type ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { CozeAuthProvider, CozeCallback, useCozeAuth } from '../../src/react/index';
import { testSessionOptions } from '../../src/testing/index';
import { landOnCallback, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();

function Status(): ReactElement {
  const { status } = useCozeAuth();
  return <p data-testid="status">{status}</p>;
}

describe('hostile10: a provider rebuilt mid-exchange under StrictMode', () => {
  it('held: StrictMode, options changed mid-exchange: one exchange, onSuccess once, signed in, no error', async () => {
    const model = fake.reset();
    model.setTokenLatency(300, 'exchange');
    await landOnCallback(model, '/after');
    const { clientId, redirectUri, baseURL, webBaseURL } = testSessionOptions();
    const onSuccess = vi.fn();
    const onError = vi.fn();
    const app = (skew: number): ReactElement => (
      <StrictMode>
        <CozeAuthProvider clientId={clientId} redirectUri={redirectUri} baseURL={baseURL} webBaseURL={webBaseURL} refreshSkewSeconds={skew}>
          <Status />
          <CozeCallback onSuccess={onSuccess} onError={onError} />
        </CozeAuthProvider>
      </StrictMode>
    );
    const view = render(app(60));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.getByTestId('status').textContent).toBe('signing-in');
    view.rerender(app(90));
    expect(screen.getByTestId('status').textContent).toBe('signing-in');
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/after'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(onError).not.toHaveBeenCalled();
    expect(screen.getByTestId('status').textContent).toBe('signed-in');
    expect(model.counters.tokenExchange).toBe(1);
  });
});
