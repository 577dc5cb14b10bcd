import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, userEvent, within } from 'storybook/test';
import { CozeLoginButton, RequireCozeAuth } from '../src/index';
import { WorkspaceList } from '../demo/src/components/WorkspaceList';
import { AppFrame } from './support/AppFrame';
import { authLoader, loadedAuth } from './support/loaders';
import { storyMessages } from './support/storyLocale';

function ProtectedPage({ children }: { children: ReactNode }): ReactNode {
  return (
    <div className="demo-main demo-narrow">
      <div className="demo-landing">
        <h1>Workspaces</h1>
        <p className="demo-muted">
          This page is wrapped in <code>&lt;RequireCozeAuth&gt;</code>.
        </p>
      </div>
      {children}
    </div>
  );
}

/**
 * Renders its children only when signed in. Signed out, it starts the sign-in once (or shows
 * `fallback` when `autoRedirect={false}`); after an error it shows the error instead of
 * redirecting again, so an error can never become a redirect loop.
 */
const meta = {
  title: 'Components/RequireCozeAuth',
  component: RequireCozeAuth,
  tags: ['autodocs'],
  args: { returnTo: '/workspaces' },
  argTypes: { children: { control: false }, fallback: { control: false } },
  loaders: [authLoader()],
  render: (args, context) => (
    <AppFrame auth={loadedAuth(context).auth} initialUrl="/workspaces">
      <ProtectedPage>
        <RequireCozeAuth {...args}>
          <WorkspaceList />
        </RequireCozeAuth>
      </ProtectedPage>
    </AppFrame>
  ),
} satisfies Meta<typeof RequireCozeAuth>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Signed in: the protected content renders. */
export const SignedIn: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
  },
};

/**
 * Signed out: the guard leaves for Coze by itself (`autoRedirect`, the default), showing
 * `fallback` meanwhile; after consent the user is back on `returnTo` with the content.
 */
export const SignedOutRedirects: Story = {
  loaders: [authLoader({ state: 'signed-out' })],
  args: {
    fallback: (
      <p className="demo-card demo-muted" role="status">
        Taking you to Coze…
      </p>
    ),
  },
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    // The guard left for Coze by itself: Coze's consent page is showing, waiting for the user.
    await canvas.findByRole('heading', { name: /Authorize “Test app”/ }, { timeout: 5000 });
    await expect(canvas.getByTestId('address')).toHaveTextContent('www.coze.test/api/permission/oauth2/authorize');
    await expect(loadedAuth({ loaded }).auth.model.counters.tokenExchange).toBe(0);
    // Authorize, and the user lands on returnTo with the content: test/stories/interactions.test.tsx.
  },
};

/** `autoRedirect={false}`: the guard shows `fallback` (here, with a sign-in button) and waits. */
export const ManualSignIn: Story = {
  loaders: [authLoader({ state: 'signed-out' })],
  args: {
    autoRedirect: false,
    fallback: (
      <section className="demo-card demo-center" aria-labelledby="manual-title">
        <h2 id="manual-title" className="demo-card-title">
          Sign in to see your workspaces
        </h2>
        <p className="demo-muted">Your Coze workspaces show here once you sign in.</p>
        <CozeLoginButton className="demo-btn demo-btn-primary" returnTo="/workspaces" />
      </section>
    ),
  },
  play: async ({ canvasElement, loaded, globals }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'Sign in to see your workspaces' });
    await expect(loadedAuth({ loaded }).auth.pendingLogin).toBeUndefined();
    await userEvent.tab();
    await expect(canvas.getByRole('button', { name: storyMessages(globals).signIn })).toHaveFocus();
  },
};

/**
 * Coze rejected the refresh token (`invalid_grant`): the default error UI (the same as
 * `<CozeCallback>`'s), with **Try again**. The guard does not redirect by itself after an error.
 */
export const SessionExpired: Story = {
  loaders: [authLoader({ state: 'expired' })],
  play: async ({ canvasElement, loaded, globals }) => {
    const canvas = within(canvasElement);
    const messages = storyMessages(globals);
    const alert = await canvas.findByRole('alert');
    await expect(alert).toHaveAttribute('data-error-code', 'invalid_grant');
    await expect(alert).toHaveTextContent(messages.errors.invalid_grant.description);
    await expect(loadedAuth({ loaded }).auth.pendingLogin).toBeUndefined();
    await userEvent.tab();
    await expect(within(alert).getByRole('button', { name: messages.tryAgain })).toHaveFocus();
  },
};

/** The `error` render prop: your own message, with its `login` action. */
export const CustomError: Story = {
  loaders: [authLoader({ state: 'expired' })],
  args: {
    error: (error, { login }) => (
      <section role="alert" className="demo-card demo-center" data-error-code={error.code}>
        <h2 className="demo-card-title">Your Coze session has ended</h2>
        <p className="demo-muted">For your security, Coze signed you out. Your work is saved.</p>
        <button type="button" className="demo-btn demo-btn-primary" onClick={() => void login().catch(() => undefined)}>
          Sign in again
        </button>
      </section>
    ),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const alert = await canvas.findByRole('alert');
    await expect(alert).toHaveTextContent('Your Coze session has ended');
    await expect(alert).toHaveAttribute('data-error-code', 'invalid_grant');
    await expect(within(alert).getByRole('button', { name: 'Sign in again' })).toBeEnabled();
  },
};
