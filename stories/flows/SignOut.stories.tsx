import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { COZE_QUERY_SCOPE } from '../../src/index';
import { DemoApp } from '../demo/DemoApp';
import { AppFrame } from '../support/AppFrame';
import { authLoader, loadedAuth } from '../support/loaders';
import { answerAtCoze } from '../support/play';

/**
 * `useCozeAuth().logout()` forgets the tokens (in every tab sharing the storage) and the provider
 * removes every cached Coze query, so the next person at this browser sees nothing of the last.
 */
const meta = {
  title: 'Flows/Sign out',
  loaders: [authLoader()],
  render: (_args, context) => (
    <AppFrame auth={loadedAuth(context).auth}>
      <DemoApp />
    </AppFrame>
  ),
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/** Sign out from the header: back to the sign-in page, and the query cache is empty. */
export const SignOut: Story = {
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const { auth } = loadedAuth({ loaded });
    await canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
    await expect(auth.queryClient.getQueryCache().findAll({ queryKey: [COZE_QUERY_SCOPE] }).some((query) => query.state.data !== undefined)).toBe(true);
    await userEvent.click(canvas.getByRole('button', { name: 'Sign out' }));
    await canvas.findByRole('heading', { name: 'Build bots with your Coze account' });
    await expect(canvas.getByTestId('auth-status')).toHaveTextContent('Signed out');
    // Nothing of Ada's is cached any more (the header's query now waits, keyed without a session).
    const cachedData = () => auth.queryClient.getQueryCache().findAll({ queryKey: [COZE_QUERY_SCOPE] }).filter((query) => query.state.data !== undefined);
    await waitFor(() => expect(cachedData()).toHaveLength(0));
    await expect(canvas.queryByText('Ada Lovelace')).toBeNull();
  },
};

/** Signing out and back in starts a new session id: nothing cached from before is reused. */
export const SignOutAndBackIn: Story = {
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const { auth } = loadedAuth({ loaded });
    await canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
    const before = auth.session.getSnapshot().sessionId;
    await userEvent.click(canvas.getByRole('button', { name: 'Sign out' }));
    await userEvent.click(await canvas.findByRole('button', { name: 'Sign in with Coze' }));
    await answerAtCoze(canvas, 'Authorize');
    await canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
    await expect(auth.session.getSnapshot().sessionId).not.toBe(before);
  },
};
