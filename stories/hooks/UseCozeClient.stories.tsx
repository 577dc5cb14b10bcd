import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { WhoAmI } from '../demo/WhoAmI';
import { AppFrame } from '../support/AppFrame';
import { authLoader, loadedAuth } from '../support/loaders';

/**
 * `useCozeClient()` returns the provider's `CozeAPI` (from `@coze/api`): one instance, never
 * re-created, whose token is a getter, so every request carries a fresh token. Use it for calls
 * outside queries: chat streams, workflow runs, event handlers.
 */
const meta = {
  title: 'Hooks/useCozeClient',
  loaders: [authLoader()],
  render: (_args, context) => (
    <AppFrame auth={loadedAuth(context).auth} chrome="plain" simulator={['time']}>
      <div className="demo-main demo-narrow">
        <WhoAmI />
      </div>
    </AppFrame>
  ),
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/** An imperative `client.users.me()` in a click handler. */
export const DirectCall: Story = {
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Ask Coze who I am' }));
    await expect(await canvas.findByTestId('whoami-result', {}, { timeout: 5000 })).toHaveTextContent('Ada Lovelace');
    await expect(loadedAuth({ loaded }).auth.model.counters.api).toBe(1);
  },
};

/**
 * An hour later the token has expired; the same client refreshes before the call (the token
 * getter awaits `getToken()`), so the call still succeeds.
 */
export const AfterTheTokenExpired: Story = {
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const { auth } = loadedAuth({ loaded });
    // Jump without firing timers, like a laptop waking from sleep.
    auth.clock.set(auth.clock.now() + 60 * 60 * 1000);
    await userEvent.click(canvas.getByRole('button', { name: 'Ask Coze who I am' }));
    await expect(await canvas.findByTestId('whoami-result', {}, { timeout: 5000 })).toHaveTextContent('Ada Lovelace');
    await expect(auth.model.counters.tokenRefresh).toBe(1);
  },
};
