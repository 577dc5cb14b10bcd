import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { EventLog } from '../../demo/src/components/EventLog';
import { ProfileCard } from '../../demo/src/components/ProfileCard';
import { WorkspaceList } from '../../demo/src/components/WorkspaceList';
import { AppFrame } from '../support/AppFrame';
import { authLoader, loadedAuth } from '../support/loaders';

/**
 * `useCozeQuery(key, (client) => promise)` is TanStack Query over the provider's `CozeAPI`:
 * keyed per sign-in, waiting until signed in, and retrying once after a forced refresh when Coze
 * answers 401. The profile card calls `client.users.me()`, the list `client.workspaces.list()`.
 */
const meta = {
  title: 'Hooks/useCozeQuery',
  loaders: [authLoader()],
  render: (_args, context) => (
    <AppFrame auth={loadedAuth(context).auth} chrome="plain" simulator={['fail-api', 'end-session']}>
      <div className="demo-main demo-grid demo-grid-2">
        <ProfileCard />
        <WorkspaceList />
      </div>
    </AppFrame>
  ),
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/** `useCozeQuery(['users', 'me'], (client) => client.users.me())` and the workspace list. */
export const ProfileAndWorkspaces: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('Ada Lovelace', {}, { timeout: 5000 });
    await canvas.findByText('@ada.lovelace');
    const list = await canvas.findByRole('list', { name: 'Your workspaces' });
    await expect(within(list).getAllByRole('listitem')).toHaveLength(4);
  },
};

/** Pending: Coze is slow to answer (skeletons, `aria-busy`). */
export const Loading: Story = {
  loaders: [authLoader({}, (auth) => auth.model.setLatency(24 * 60 * 60 * 1000))],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByTestId('profile-loading')).toBeVisible();
    await expect(canvas.getByTestId('workspaces-loading')).toBeVisible();
  },
};

/**
 * Coze answers 503 to every try (`useCozeQuery` retries transient failures three times): the
 * cards show the error with a **Retry** button. Coze is back by then, so Retry loads the data.
 */
export const ApiError: Story = {
  loaders: [authLoader({}, (auth) => auth.model.failNext('api', { status: 503 }, 8))],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const alerts = await waitFor(
      () => {
        const found = canvas.getAllByRole('alert');
        expect(found).toHaveLength(2);
        return found;
      },
      { timeout: 8000 },
    );
    await expect(alerts[0]).toHaveTextContent('Could not load your profile');
    await expect(alerts[1]).toHaveTextContent('Could not load workspaces');
    await expect(loadedAuth({ loaded }).auth.model.counters.api).toBe(8);
    await userEvent.tab();
    await expect(within(alerts[0]!).getByRole('button', { name: 'Retry' })).toHaveFocus();
    // Pressing Retry loads the data: test/stories/interactions.test.tsx.
  },
};

/**
 * Coze answers 401 (the token was revoked server-side, say): `useCozeQuery` forces one refresh
 * and retries once, so the card loads and the log shows the refresh.
 */
export const RecoversFrom401: Story = {
  loaders: [authLoader({}, (auth) => auth.model.failNext('api', { status: 401 }))],
  render: (_args, context) => (
    <AppFrame auth={loadedAuth(context).auth} chrome="plain">
      <div className="demo-main demo-grid demo-grid-2">
        <ProfileCard />
        <EventLog />
      </div>
    </AppFrame>
  ),
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('Ada Lovelace', {}, { timeout: 5000 });
    await canvas.findByText('Token refreshed');
    await expect(loadedAuth({ loaded }).auth.model.counters.tokenRefresh).toBe(1);
  },
};
