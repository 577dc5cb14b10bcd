import { act, render, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { CozeAuthProvider, CozeCallback } from '../../src/react/index';
import { createTestCozeAuth } from '../../src/testing/index';

async function landOnCallback(returnTo: string) {
  const auth = await createTestCozeAuth({ state: 'signed-out' });
  window.history.replaceState(null, '', await auth.prepareCallback({ returnTo }));
  return auth;
}

const tick = (ms = 20) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));

describe('hostile4: <CozeCallback> navigates once', () => {
  // onSuccess is "Called once". The usual inline handler (`onSuccess={(to) => navigate(to)}`) is
  // an effect dependency: any later re-render of the parent while the route is still on screen
  // (the router has not left yet, a clock, a context) re-runs the effect, the session answers the
  // clean URL with the same result, the one-turn mark is gone, and the app navigates again.
  it('a re-render with a new inline onSuccess after it navigated does not navigate again', async () => {
    const auth = await landOnCallback('/after');
    const navigate = vi.fn();
    let bump!: () => void;
    function Route() {
      const [n, setN] = useState(0);
      bump = () => setN(n + 1);
      return <CozeCallback onSuccess={(to) => navigate(to)} />;
    }
    render(
      <CozeAuthProvider session={auth.session}>
        <Route />
      </CozeAuthProvider>,
    );
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/after'));
    await tick();
    act(() => bump());
    await tick();
    expect(auth.model.counters.tokenExchange).toBe(1);
    expect(navigate).toHaveBeenCalledTimes(1);
  });

  // "Callbacks mounted at the same moment share one result: only the first one navigates." A second
  // <CozeCallback> that mounts while the first is still on screen (a lazy layout part resolving a
  // moment later) navigates again once a turn has passed.
  it('a second CozeCallback mounting while the first is still mounted does not navigate again', async () => {
    const auth = await landOnCallback('/after');
    const onSuccess = vi.fn();
    const view = render(
      <CozeAuthProvider session={auth.session}>
        <CozeCallback onSuccess={onSuccess} />
      </CozeAuthProvider>,
    );
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    await tick();
    view.rerender(
      <CozeAuthProvider session={auth.session}>
        <CozeCallback onSuccess={onSuccess} />
        <CozeCallback onSuccess={onSuccess} />
      </CozeAuthProvider>,
    );
    await tick();
    expect(onSuccess).toHaveBeenCalledTimes(1);
  });

  // onError is "Called once when sign-in fails"; with an inline handler, a parent re-render after
  // the failure re-runs the effect against the clean URL.
  it('a re-render with a new inline onError after a failed sign-in does not report it again', async () => {
    const auth = await createTestCozeAuth({ state: 'signed-out' });
    window.history.replaceState(null, '', await auth.prepareCallback({ returnTo: '/after', decision: 'deny' }));
    const reported = vi.fn();
    let bump!: () => void;
    function Route() {
      const [n, setN] = useState(0);
      bump = () => setN(n + 1);
      return <CozeCallback onError={(error) => reported(error.code)} />;
    }
    render(
      <CozeAuthProvider session={auth.session}>
        <Route />
      </CozeAuthProvider>,
    );
    await waitFor(() => expect(reported).toHaveBeenCalledTimes(1));
    const first = reported.mock.calls[0]?.[0];
    await tick();
    act(() => bump());
    await tick();
    expect(reported.mock.calls).toEqual([[first]]);
  });
});
