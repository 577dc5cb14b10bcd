import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState, type ReactNode } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { CozeLoginButton, type CozeAuthError, type CozeLoginButtonProps } from '../src/index';
import { WorkspaceList } from '../demo/src/components/WorkspaceList';
import { AppFrame } from './support/AppFrame';
import { authLoader, loadedAuth } from './support/loaders';
import { answerAtCoze, expectAddress } from './support/play';
import { storyMessages } from './support/storyLocale';

function LoginCard({ children, note }: { children: ReactNode; note?: ReactNode }): ReactNode {
  return (
    <section className="demo-login-card" aria-labelledby="login-card-title">
      <span className="demo-brand-mark demo-brand-mark-large" aria-hidden="true" />
      <h1 id="login-card-title">Sign in to Bot Studio</h1>
      <p className="demo-muted">Use your Coze account. You will come back to your workspaces.</p>
      {children}
      {note}
    </section>
  );
}

/** Shows what `onError` received, as an app would. */
function ButtonWithErrorReport(props: CozeLoginButtonProps): ReactNode {
  const [error, setError] = useState<CozeAuthError>();
  return (
    <>
      <CozeLoginButton
        {...props}
        onError={(caught) => {
          setError(caught);
          props.onError?.(caught);
        }}
      />
      {error ? (
        <p role="alert" className="demo-banner" data-error-code={error.code}>
          <span>
            <strong>{error.code}</strong> {error.message}
          </span>
        </p>
      ) : null}
    </>
  );
}

/**
 * A real `<button>` that starts the PKCE redirect to Coze. While leaving it is disabled,
 * `aria-busy` and `data-state="pending"` (style it with `[data-state=pending]`); every other
 * button attribute passes through.
 */
const meta = {
  title: 'Components/CozeLoginButton',
  component: CozeLoginButton,
  tags: ['autodocs'],
  args: { returnTo: '/workspaces', className: 'demo-btn demo-btn-primary demo-btn-large' },
  argTypes: {
    children: { control: 'text' },
    pendingChildren: { control: 'text' },
  },
  loaders: [authLoader({ state: 'signed-out' })],
  render: (args, context) => (
    <AppFrame auth={loadedAuth(context).auth} chrome="plain" coze="note">
      <LoginCard>
        <CozeLoginButton {...args} />
      </LoginCard>
    </AppFrame>
  ),
} satisfies Meta<typeof CozeLoginButton>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Ready: keyboard-reachable, labelled "Sign in with Coze" (使用扣子登录) unless you pass children. */
export const Idle: Story = {
  play: async ({ canvasElement, globals }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole('button', { name: storyMessages(globals).signIn });
    await expect(button).toHaveAttribute('data-state', 'idle');
    await expect(button).toBeEnabled();
    button.blur();
    await userEvent.tab();
    await expect(button).toHaveFocus();
  },
};

/**
 * After a click the app is leaving for Coze: the button is disabled, `aria-busy` and shows
 * `pendingChildren`. (Here the page stays, so you can see it; the authorize URL it left for is below.)
 */
export const Pending: Story = {
  play: async ({ canvasElement, loaded, globals }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: storyMessages(globals).signIn }));
    const button = await canvas.findByRole('button', { name: storyMessages(globals).redirecting });
    await expect(button).toHaveAttribute('data-state', 'pending');
    await expect(button).toHaveAttribute('aria-busy', 'true');
    await expect(button).toBeDisabled();
    await canvas.findByRole('heading', { name: 'The app is leaving for Coze' });
    const authorizeUrl = new URL(loadedAuth({ loaded }).auth.pendingLogin ?? '');
    await expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
  },
};

/** `disabled` passes through: no sign-in starts until the form allows it. */
export const Disabled: Story = {
  args: { disabled: true },
  play: async ({ canvasElement, loaded, globals }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole('button', { name: storyMessages(globals).signIn });
    await expect(button).toBeDisabled();
    await userEvent.click(button);
    await expect(loadedAuth({ loaded }).auth.pendingLogin).toBeUndefined();
    await expect(button).toHaveAttribute('data-state', 'idle');
  },
};

/** Your own label, pending label and styling: `children`, `pendingChildren`, `className`. */
export const CustomChildrenAndStyling: Story = {
  args: {
    className: 'demo-coze-pill',
    children: (
      <>
        <span className="demo-coze-pill-mark" aria-hidden="true" />
        Continue with Coze
      </>
    ),
    pendingChildren: (
      <>
        <span className="demo-spinner" aria-hidden="true" />
        Opening Coze…
      </>
    ),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole('button', { name: 'Continue with Coze' });
    await expect(button).toHaveClass('demo-coze-pill');
    await userEvent.tab();
    await expect(button).toHaveFocus();
    // Clicking shows `pendingChildren` ("Opening Coze…"): test/stories/interactions.test.tsx.
  },
};

/**
 * `returnTo` must be a same-origin path: anything else never leaves the page. `onError` gets a
 * `CozeAuthError` with code `unsafe_return_to`, and the button is usable again.
 */
export const UnsafeReturnTo: Story = {
  args: { returnTo: 'https://evil.example/steal', onError: fn() },
  render: (args, context) => (
    <AppFrame auth={loadedAuth(context).auth} chrome="plain" coze="note">
      <LoginCard>
        <ButtonWithErrorReport {...args} />
      </LoginCard>
    </AppFrame>
  ),
  play: async ({ canvasElement, args, loaded, globals }) => {
    const canvas = within(canvasElement);
    const { signIn } = storyMessages(globals);
    await userEvent.click(canvas.getByRole('button', { name: signIn }));
    const alert = await canvas.findByRole('alert');
    await expect(alert).toHaveAttribute('data-error-code', 'unsafe_return_to');
    await expect(args.onError).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(canvas.getByRole('button', { name: signIn })).toBeEnabled());
    await expect(loadedAuth({ loaded }).auth.pendingLogin).toBeUndefined();
  },
};

/** The whole round trip: click, Coze's consent page, the callback route, back on `returnTo`. */
export const CompleteSignIn: Story = {
  render: (args, context) => (
    <AppFrame auth={loadedAuth(context).auth}>
      {(path) =>
        path.startsWith('/workspaces') ? (
          <div className="demo-main demo-narrow">
            <WorkspaceList />
          </div>
        ) : (
          <LoginCard>
            <CozeLoginButton {...args} />
          </LoginCard>
        )
      }
    </AppFrame>
  ),
  play: async ({ canvasElement, loaded, globals }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: storyMessages(globals).signIn }));
    await answerAtCoze(canvas, 'Authorize');
    await canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
    await expectAddress(canvas, '/workspaces');
    await expect(loadedAuth({ loaded }).auth.model.counters.tokenExchange).toBe(1);
  },
};

/**
 * In English (`<CozeAuthProvider locale="en">`, and the default on a server and while hydrating):
 * "Sign in with Coze", then "Redirecting to Coze…". The button says `lang="en"`.
 */
export const InEnglish: Story = {
  globals: { locale: 'en' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole('button', { name: 'Sign in with Coze' });
    await expect(button).toHaveAttribute('lang', 'en');
    await userEvent.click(button);
    await expect(await canvas.findByRole('button', { name: 'Redirecting to Coze…' })).toHaveAttribute('aria-busy', 'true');
  },
};

/**
 * 简体中文 (`locale="zh-CN"`, or a browser whose first supported language is any `zh*`):
 * 使用扣子登录, then 正在跳转到扣子…. The button says `lang="zh-CN"`, so screen readers read it
 * in Chinese inside an English page.
 */
export const InChinese: Story = {
  globals: { locale: 'zh-CN' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const button = canvas.getByRole('button', { name: '使用扣子登录' });
    await expect(button).toHaveAttribute('lang', 'zh-CN');
    await userEvent.click(button);
    const pending = await canvas.findByRole('button', { name: '正在跳转到扣子…' });
    await expect(pending).toHaveAttribute('aria-busy', 'true');
    await expect(pending).toHaveAttribute('lang', 'zh-CN');
  },
};
