import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { DemoApp } from '../demo/DemoApp';
import { AppFrame } from '../support/AppFrame';
import { authLoader, loadedAuth } from '../support/loaders';

/**
 * When Coze rejects the refresh token (revoked, expired after 30 days, signed out elsewhere), the
 * session ends with `error.code === 'invalid_grant'`, cached queries are removed, and nothing
 * redirects by itself: the app explains and offers to sign in again.
 */
const meta = {
  title: 'Flows/Session expired',
  loaders: [authLoader({ state: 'expired' })],
  render: (_args, context) => (
    <AppFrame auth={loadedAuth(context).auth} simulator={['time', 'end-session']}>
      <DemoApp />
    </AppFrame>
  ),
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/** The user comes back after Coze revoked the session; signing in again picks up. */
export const ExpiredOnArrival: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'Your Coze session has ended' });
    await expect(canvas.getByRole('alert')).toHaveAttribute('data-error-code', 'invalid_grant');
    await expect(canvas.getByTestId('auth-status')).toHaveTextContent('Signed out');
    await expect(canvas.getByRole('button', { name: 'Sign in again' })).toHaveAttribute('data-state', 'idle');
  },
};

/** Signed in and working, then Coze revokes the session: the app switches to the expired state. */
export const RevokedWhileSignedIn: Story = {
  loaders: [authLoader()],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Revoke session at Coze' }));
    await canvas.findByRole('heading', { name: 'Your Coze session has ended' });
    await waitFor(() => expect(canvas.queryByText('Analytical Engines Ltd.')).toBeNull());
    await expect(canvas.getByTestId('auth-status')).toHaveTextContent('Signed out');
  },
};
