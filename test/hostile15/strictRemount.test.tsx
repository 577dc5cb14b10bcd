// Hostile review 15, React level: <CozeAuthProvider> + <CozeCallback> + <RequireCozeAuth> under
// <StrictMode>, the provider remounted with a new session (key change) while the code is on the
// wire. One onSuccess, no onError flash, no trip back to Coze from the guard, one exchange.
import { render, screen, waitFor } from '@testing-library/react';
import { StrictMode, type ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { CozeAuthProvider, CozeCallback, RequireCozeAuth } from '../../src/react/index';
import { flushAsync } from '../../src/testing/index';
import { gatedFetch, landOnCallback, sessionOptions, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();

describe('hostile15: StrictMode provider remounted mid-exchange', () => {
  it('held: remount mid-exchange under StrictMode: onSuccess once, no onError, guard does not navigate', async () => {
    const model = fake.reset();
    const slow = gatedFetch();
    slow.hold();
    await landOnCallback(model, '/after');
    const options = sessionOptions({ fetch: slow.fetch, tokenStorage: 'localStorage' });
    const onSuccess = vi.fn();
    const onError = vi.fn();
    const app = (session: CozeSession, key: string): ReactElement => (
      <StrictMode>
        <CozeAuthProvider key={key} session={session}>
          <CozeCallback onSuccess={onSuccess} onError={onError} />
          <RequireCozeAuth>
            <p>protected</p>
          </RequireCozeAuth>
        </CozeAuthProvider>
      </StrictMode>
    );
    const view = render(app(new CozeSession(options), 'first'));
    await flushAsync();
    view.rerender(app(new CozeSession(options), 'second'));
    await flushAsync();
    view.rerender(app(new CozeSession(options), 'third'));
    await slow.release();
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/after'));
    expect(await screen.findByText('protected')).toBeTruthy();
    await flushAsync();
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(onError).not.toHaveBeenCalled();
    expect(options.navigate).not.toHaveBeenCalled();
    expect(model.counters.tokenExchange).toBe(1);
    view.unmount();
    localStorage.clear();
  });
});
