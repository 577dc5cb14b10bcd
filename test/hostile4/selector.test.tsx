import { act, render, screen } from '@testing-library/react';
import { StrictMode, Suspense, startTransition, useLayoutEffect, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { CozeAuthProvider, useCozeAuth, useCozeToken } from '../../src/react/index';
import { createTestCozeAuth } from '../../src/testing/index';

describe('hostile4: useCozeSelector behind the hooks', () => {
  it('a session prop swapped for another session: every hook shows the new one on the first render', async () => {
    const alice = await createTestCozeAuth({ user: { user_id: 'alice' } });
    const signedOut = await createTestCozeAuth({ state: 'signed-out' });
    const seen: string[] = [];
    function Both() {
      const auth = useCozeAuth();
      const token = useCozeToken();
      seen.push(`${auth.status}/${token.status}/${auth.accessToken === token.accessToken}`);
      return null;
    }
    const errors = vi.spyOn(console, 'error');
    const view = render(
      <StrictMode>
        <CozeAuthProvider session={alice.session}>
          <Both />
        </CozeAuthProvider>
      </StrictMode>,
    );
    await act(async () => undefined);
    seen.length = 0;
    view.rerender(
      <StrictMode>
        <CozeAuthProvider session={signedOut.session}>
          <Both />
        </CozeAuthProvider>
      </StrictMode>,
    );
    await act(async () => undefined);
    expect(seen.every((entry) => entry === 'signed-out/signed-out/true')).toBe(true);
    expect(errors).not.toHaveBeenCalled();
  });

  it('no tearing between useCozeAuth and useCozeToken when a refresh lands during a suspended transition', async () => {
    const auth = await createTestCozeAuth({ accessTokenTtlSeconds: 900 });
    const commits: string[] = [];
    let resolveData!: (v: string) => void;
    const data = new Promise<string>((resolve) => (resolveData = resolve));
    // Suspends by throwing the promise (what React 18 and 19 both understand; `use` is React 19 only).
    let loaded: string | undefined;
    void data.then((value) => (loaded = value));
    function A() {
      const { accessToken } = useCozeAuth();
      useLayoutEffect(() => void commits.push(`A:${accessToken}`));
      return <i>{accessToken}</i>;
    }
    function B() {
      const { accessToken } = useCozeToken();
      useLayoutEffect(() => void commits.push(`B:${accessToken}`));
      return <b>{accessToken}</b>;
    }
    function Slow() {
      if (loaded === undefined) throw data;
      return <span>{loaded}</span>;
    }
    let show!: (v: boolean) => void;
    function App() {
      const [slow, setSlow] = useState(false);
      show = setSlow;
      return (
        <Suspense fallback={<p>wait</p>}>
          <A />
          {slow ? <Slow /> : null}
          <B />
        </Suspense>
      );
    }
    render(
      <CozeAuthProvider session={auth.session} clientOptions={auth.clientOptions}>
        <App />
      </CozeAuthProvider>,
    );
    act(() => startTransition(() => show(true)));
    await act(async () => {
      await auth.session.refresh();
    });
    await act(async () => {
      resolveData('done');
      await data;
    });
    await screen.findByText('done');
    const token = auth.session.getSnapshot().accessToken;
    expect(screen.getByText(token!, { selector: 'i' })).toBeTruthy();
    expect(screen.getByText(token!, { selector: 'b' })).toBeTruthy();
    // Every commit paired A and B on the same token.
    for (let i = 0; i + 1 < commits.length; i += 2) expect(commits[i]?.slice(2)).toBe(commits[i + 1]?.slice(2));
  });
});
