// The React side of a successor session: a provider remounted (here by a `key` change) with a new
// session while the first one's code exchange is on the wire. The new <CozeCallback> must leave
// for the sign-in's return path once signed in, and a guard beside it must not start a second
// sign-in (a trip back to Coze in the middle of one).
import { render, screen, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { CozeAuthProvider, CozeCallback, RequireCozeAuth } from '../../src/react/index';
import { flushAsync } from '../../src/testing/index';
import { gatedFetch, landOnCallback, sessionOptions, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();

describe('hostile9: a provider remounted with a new session mid-exchange', () => {
  it('fixed: the new provider signs in, its <CozeCallback> leaves for returnTo, its guard starts no second sign-in', async () => {
    const model = fake.reset();
    const slow = gatedFetch();
    slow.hold();
    await landOnCallback(model, '/after');
    const options = sessionOptions({ fetch: slow.fetch });
    const onSuccess = vi.fn();
    const onError = vi.fn();
    const app = (session: CozeSession, key: string): ReactElement => (
      <CozeAuthProvider key={key} session={session}>
        <CozeCallback onSuccess={onSuccess} onError={onError} />
        <RequireCozeAuth>
          <p>protected</p>
        </RequireCozeAuth>
      </CozeAuthProvider>
    );
    const view = render(app(new CozeSession(options), 'first'));
    await flushAsync();
    const second = new CozeSession(options);
    view.rerender(app(second, 'second'));
    await slow.release();
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/after'));
    expect(second.getSnapshot().status).toBe('signed-in');
    expect(await screen.findByText('protected')).toBeTruthy();
    expect(onError).not.toHaveBeenCalled();
    expect(options.navigate, 'no second trip to Coze').not.toHaveBeenCalled();
    expect(model.counters.tokenExchange).toBe(1);
  });
});
