import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { DemoApp } from './demo/DemoApp';
import { AppFrame } from './support/AppFrame';
import { authLoader, loadedAuth } from './support/loaders';
import { answerAtCoze, expectAddress } from './support/play';

/**
 * A small app built on react-coze-auth: `<CozeAuthProvider>` at the root, `<CozeCallback />` on
 * `/callback`, the header and cards on `useCozeAuth`, `useCozeQuery`, `useCozeToken` and
 * `useCozeSession`. Use the simulator to skip time, break Coze, or revoke the session.
 */
const meta = {
  title: 'Examples/Bot Studio',
  loaders: [authLoader({ accessTokenTtlSeconds: 5 * 60 })],
  render: (_args, context) => (
    <AppFrame auth={loadedAuth(context).auth} initialUrl="/studio" simulator={['time', 'fail-refresh', 'fail-api', 'end-session']}>
      <DemoApp returnTo="/studio" />
    </AppFrame>
  ),
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/** Signed in: profile, token countdown, workspaces and the session's events. */
export const SignedIn: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
    await expect(canvas.getByRole('banner')).toHaveTextContent('Ada Lovelace');
    await expect(canvas.getByTestId('auth-status')).toHaveTextContent('Signed in');
  },
};

/** Signed out: the landing page. Press **Sign in with Coze** for the whole round trip. */
export const SignedOut: Story = {
  loaders: [authLoader({ state: 'signed-out', accessTokenTtlSeconds: 5 * 60 })],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'Build bots with your Coze account' });
    await expect(canvas.getByRole('button', { name: 'Sign in with Coze' })).toHaveAttribute('data-state', 'idle');
    await expect(canvas.queryByRole('button', { name: 'Sign out' })).toBeNull();
  },
};

/** The whole sign-in from the landing page: Coze's consent page, the callback, back on `/studio`. */
export const SignInRoundTrip: Story = {
  loaders: [authLoader({ state: 'signed-out', accessTokenTtlSeconds: 5 * 60 })],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Sign in with Coze' }));
    await answerAtCoze(canvas, 'Authorize');
    await canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
    await expectAddress(canvas, '/studio');
    await expect(canvas.getByTestId('auth-status')).toHaveTextContent('Signed in');
  },
};
