import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { EventLog } from '../../demo/src/components/EventLog';
import { TokenPanel } from '../../demo/src/components/TokenPanel';
import { AppFrame } from '../support/AppFrame';
import { authLoader, loadedAuth } from '../support/loaders';

/**
 * `useCozeToken()` → `{ accessToken, expiresAt, status, isRefreshing, error, getToken(), refresh() }`.
 * The panel counts down to `expiresAt`, shows `isRefreshing` and transient errors, and calls
 * `refresh()`. The session refreshes by itself before expiry; use the simulator to skip time.
 */
const meta = {
  title: 'Hooks/useCozeToken',
  loaders: [authLoader({ accessTokenTtlSeconds: 15 * 60 })],
  render: (_args, context) => (
    <AppFrame auth={loadedAuth(context).auth} chrome="plain" simulator={['time', 'fail-refresh', 'end-session']}>
      <div className="demo-main demo-grid demo-grid-2">
        <TokenPanel />
        <EventLog />
      </div>
    </AppFrame>
  ),
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/** A fresh 15-minute token; **Refresh now** calls `refresh()`. */
export const TokenPanelStory: Story = {
  name: 'Token panel',
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const { auth } = loadedAuth({ loaded });
    await expect(canvas.getByTestId('token-status')).toHaveTextContent('signed-in');
    await waitFor(() => expect(canvas.getByTestId('countdown')).toHaveTextContent(/1[45]:\d\d/));
    await userEvent.click(canvas.getByRole('button', { name: 'Refresh now' }));
    await waitFor(() => expect(canvas.getByTestId('refresh-count')).toHaveTextContent('1 time'));
    await expect(auth.model.counters.tokenRefresh).toBe(1);
    await canvas.findByText('Token refreshed');
  },
};

/**
 * A 2-minute token: the session refreshes it 30 s before expiry (the 60 s skew is capped at ¼ of
 * the lifetime) without anyone calling anything. Watch the countdown, or press +1 min twice.
 */
export const SilentRefresh: Story = {
  loaders: [authLoader({ accessTokenTtlSeconds: 120 })],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const { auth } = loadedAuth({ loaded });
    await auth.clock.advance(85_000);
    await expect(auth.model.counters.tokenRefresh).toBe(0);
    await auth.clock.advance(10_000);
    await waitFor(() => expect(auth.model.counters.tokenRefresh).toBe(1));
    await waitFor(() => expect(canvas.getByTestId('refresh-count')).toHaveTextContent('1 time'));
    await waitFor(() => expect(canvas.getByTestId('countdown')).toHaveTextContent(/^[12]:\d\d/));
  },
};

/**
 * Coze cannot be reached for the next three refreshes: `error` is a transient `network_error`,
 * the current token keeps working, and the session retries with backoff (about 1 s, 2 s, 4 s)
 * until Coze answers, a few seconds later.
 */
export const RefreshRetrying: Story = {
  loaders: [authLoader({ accessTokenTtlSeconds: 15 * 60 }, (auth) => auth.model.failNext('refresh', 'network', 3))],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Refresh now' }));
    await waitFor(() => expect(canvas.getByTestId('refresh-state')).toHaveTextContent('Last refresh failed (network_error)'));
    await expect(canvas.getByTestId('token-status')).toHaveTextContent('signed-in');
    await canvas.findByText(/Refresh failed \(network_error\), retry 1 in \d s/);
    // The retries run on the story clock, so they finish by themselves: test/stories/interactions.test.tsx.
  },
};

/** The session ended at Coze: `status` is `signed-out` and there is no token to count down. */
export const SessionEnded: Story = {
  loaders: [authLoader({ state: 'expired' })],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('token-status')).toHaveTextContent('signed-out');
    await expect(canvas.getByText('No token: sign in to get one.')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Refresh now' })).toBeDisabled();
  },
};
