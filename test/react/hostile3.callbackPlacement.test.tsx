// Hostile review 3: where <CozeCallback> is rendered (no module mocking in this file: the lazy view
// must share the provider's module graph). Tests marked "DEFECT" failed against the code under review (and pass since the fix).
import { render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { CozeAuthProvider, CozeCallback } from '../../src/react/index';
import { sessionOptions, setupFakeCoze, signIn, landOnCallback } from '../helpers/harness';

const fake = setupFakeCoze();

describe('hostile3: CozeCallback placement', () => {
  beforeEach(() => {
    fake.reset();
  });

  // Holds: remounting <CozeCallback> (router re-key) after the URL was cleaned joins the same
  // callback: one exchange, one navigation.
  it('a remounted CozeCallback joins the callback under way', async () => {
    await landOnCallback(fake.state.model, '/after');
    const session = new CozeSession(sessionOptions());
    const onSuccess = vi.fn();
    const view = render(
      <StrictMode>
        <CozeAuthProvider session={session}>
          <CozeCallback key="a" onSuccess={onSuccess} />
        </CozeAuthProvider>
      </StrictMode>,
    );
    view.rerender(
      <StrictMode>
        <CozeAuthProvider session={session}>
          <CozeCallback key="b" onSuccess={onSuccess} />
        </CozeAuthProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/after'));
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  // DEFECT (pre-existing in the view, kept by the split). A second visit to the callback route in
  // the same page (the router's Back button after onSuccess pushed a route, a link to /callback):
  // the clean URL is answered with the first callback's result, which already navigated, so this
  // CozeCallback neither navigates nor shows anything but "Signing you in…" — forever.
  it('a later visit to the callback route does not hang on "Signing you in…"', async () => {
    await landOnCallback(fake.state.model, '/after');
    const session = new CozeSession(sessionOptions());
    const onSuccess = vi.fn();
    const first = render(
      <CozeAuthProvider session={session}>
        <CozeCallback onSuccess={onSuccess} />
      </CozeAuthProvider>,
    );
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    first.unmount();

    window.history.pushState(null, '', '/callback'); // Back to the callback route, URL already clean
    const again = vi.fn();
    render(
      <CozeAuthProvider session={session}>
        <CozeCallback onSuccess={again} />
      </CozeAuthProvider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stuck = screen.queryByRole('status')?.textContent?.includes('Signing you in') ?? false;
    expect({ navigated: again.mock.calls.length > 0, stuck }).toEqual({ navigated: true, stuck: false });
  });

  // Holds: rendered on a page that is no callback while signed in, it leaves for '/' without
  // touching Coze.
  it('on a non-callback URL while signed in: no exchange, leaves', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    await signIn(session, fake.state.model, options.navigate);
    window.history.replaceState(null, '', '/callback');
    const onSuccess = vi.fn();
    render(
      <CozeAuthProvider session={session}>
        <CozeCallback onSuccess={onSuccess} />
      </CozeAuthProvider>,
    );
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/'));
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });
});
