import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { CozeCallback, useCozeAuth, useCozeMessages, type CozeAuthError } from '../src/index';
import { describeCozeAuthError } from '../src/i18n';
import { ProfileCard } from '../demo/src/components/ProfileCard';
import { WorkspaceList } from '../demo/src/components/WorkspaceList';
import { AppFrame } from './support/AppFrame';
import { authLoader, loadedAuth } from './support/loaders';
import { expectAddress } from './support/play';
import { storyMessages } from './support/storyLocale';

/** Where the app lands after the callback: `returnTo`, with what it shows there. */
function LandingPage({ path }: { path: string }): ReactNode {
  const { isAuthenticated } = useCozeAuth();
  return (
    <div className="demo-main demo-narrow">
      <div className="demo-landing">
        <h1>{isAuthenticated ? 'Welcome back' : 'Bot Studio'}</h1>
        <p className="demo-muted">
          Landed on <code>{path}</code>, the <code>returnTo</code> of the sign-in.
        </p>
      </div>
      {isAuthenticated ? (
        <div className="demo-stack">
          <ProfileCard />
          {path.startsWith('/workspaces') ? <WorkspaceList /> : null}
        </div>
      ) : null}
    </div>
  );
}

/**
 * An app's own failure UI (the `error` render prop): the title and description come from
 * `describeCozeAuthError`, in the provider's language; the rest is the app's.
 */
function BrandedError({ error, onRetry }: { error: CozeAuthError; onRetry: () => void }): ReactNode {
  const { locale, overrides } = useCozeMessages();
  const text = describeCozeAuthError(error, locale, overrides);
  return (
    <div role="alert" className="demo-error-card" data-error-code={error.code}>
      <span className="demo-error-icon" aria-hidden="true">
        !
      </span>
      <h1 lang={text.lang}>{text.title}</h1>
      <p lang={text.lang}>{text.description}</p>
      <p className="demo-muted demo-small">
        Error code <code>{error.code}</code>
      </p>
      <div className="demo-actions">
        <button type="button" className="demo-btn demo-btn-primary" onClick={onRetry}>
          Sign in with Coze again
        </button>
        <a className="demo-link" href="#home">
          Back to the home page
        </a>
      </div>
    </div>
  );
}

const RETURN_TO = '/workspaces?tab=team';

/**
 * Render it on your redirect route (`/callback`). It completes the sign-in exactly once, then
 * leaves for `returnTo` through the provider's `onRedirectCallback` (here, the story's router).
 * On failure it renders an alert with a **Try again** button (or your `error` render prop) and
 * never redirects by itself. Each story below starts from a real callback URL from the fake Coze.
 */
const meta = {
  title: 'Components/CozeCallback',
  component: CozeCallback,
  tags: ['autodocs'],
  args: { onError: fn() },
  loaders: [authLoader({ state: 'signed-out' }, async (auth) => ({ callbackUrl: await auth.prepareCallback({ returnTo: RETURN_TO }) }))],
  render: (args, context) => {
    const { auth, callbackUrl } = loadedAuth(context);
    return (
      <AppFrame
        auth={auth}
        initialUrl={callbackUrl}
        callbackRoute={
          <div className="demo-callback">
            <CozeCallback {...args} />
          </div>
        }
      >
        {(path) => <LandingPage path={path} />}
      </AppFrame>
    );
  },
} satisfies Meta<typeof CozeCallback>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Coze approved; the code exchange is in flight (the fake Coze is slowed down to show it). */
export const Processing: Story = {
  loaders: [
    authLoader({ state: 'signed-out' }, async (auth) => {
      const callbackUrl = await auth.prepareCallback({ returnTo: RETURN_TO });
      auth.model.setLatency(24 * 60 * 60 * 1000);
      return { callbackUrl };
    }),
  ],
  play: async ({ canvasElement, globals }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('status')).toHaveTextContent(storyMessages(globals).signingIn);
    await waitFor(() => expect(canvas.getByTestId('auth-status')).toHaveTextContent('Signing in…'));
  },
};

/** The same, with your own `loading` element. */
export const ProcessingCustomLoading: Story = {
  ...Processing,
  args: {
    loading: (
      <div className="demo-loading-card" role="status">
        <span className="demo-spinner demo-spinner-large" aria-hidden="true" />
        <p>
          <strong>Finishing sign-in</strong>
        </p>
        <p className="demo-muted">Exchanging the authorization code with Coze…</p>
      </div>
    ),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('status')).toHaveTextContent('Finishing sign-in');
  },
};

/** Success: the code is exchanged once, and the app continues on `returnTo` with the user signed in. */
export const Success: Story = {
  play: async ({ canvasElement, args, loaded }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'Welcome back' }, { timeout: 5000 });
    await expectAddress(canvas, RETURN_TO);
    await canvas.findByText('Ada Lovelace');
    await canvas.findByText('Customer Support Bots');
    await expect(loadedAuth({ loaded }).auth.model.counters.tokenExchange).toBe(1);
    await expect(args.onError).not.toHaveBeenCalled();
  },
};

/**
 * The error (its `code`, as the default UI's `data-error-code` and as `onError` got it), and the
 * recovery action reachable from the keyboard. Pressing it really starts a fresh sign-in through
 * Coze's page: test/stories/interactions.test.tsx follows it to the signed-in app.
 */
async function expectErrorWithRecovery(
  { canvasElement, globals }: { canvasElement: HTMLElement; globals: Record<string, unknown> },
  code: CozeAuthError['code'],
  onError: unknown,
): Promise<HTMLElement> {
  const canvas = within(canvasElement);
  const messages = storyMessages(globals);
  const alert = await canvas.findByRole('alert', {}, { timeout: 5000 });
  await expect(alert).toHaveAttribute('data-error-code', code);
  // What the user reads: the error's description in the provider's language, not `error.message`.
  await expect(alert).toHaveTextContent(messages.errors[code].description);
  await expect(alert).toHaveAttribute('lang', messages.lang);
  await expect(onError).toHaveBeenCalledTimes(1);
  await expect(onError).toHaveBeenCalledWith(expect.objectContaining({ name: 'CozeAuthError', code }));
  await expect(canvas.getByTestId('auth-status')).toHaveTextContent('Signed out');
  await userEvent.tab();
  await expect(within(alert).getByRole('button', { name: messages.tryAgain })).toHaveFocus();
  return alert;
}

/** The user pressed **Cancel** on Coze's consent page: `access_denied`. Try again signs in afresh. */
export const AccessDenied: Story = {
  loaders: [authLoader({ state: 'signed-out' }, async (auth) => ({ callbackUrl: await auth.prepareCallback({ returnTo: RETURN_TO, decision: 'deny' }) }))],
  play: async ({ canvasElement, args, globals }) => {
    await expectErrorWithRecovery({ canvasElement, globals }, 'access_denied', args.onError);
  },
};

/**
 * The callback's `state` matches no sign-in this browser started (tampered, opened in another
 * browser): `state_mismatch`. Nothing is sent to Coze's token endpoint.
 */
export const StateMismatch: Story = {
  loaders: [
    authLoader({ state: 'signed-out' }, async (auth) => {
      const url = new URL(await auth.prepareCallback({ returnTo: RETURN_TO }));
      url.searchParams.set('state', '9f1c7b2ad84e4f6b8a3d5e07c6b1a2f4');
      return { callbackUrl: url.href };
    }),
  ],
  play: async ({ canvasElement, args, loaded, globals }) => {
    await expectErrorWithRecovery({ canvasElement, globals }, 'state_mismatch', args.onError);
    // The tampered callback never reached Coze's token endpoint.
    await expect(loadedAuth({ loaded }).auth.model.counters.tokenExchange).toBe(0);
  },
};

/** A callback URL without its `code` (cut off when copied, say): `invalid_callback_url`. */
export const InvalidCallbackUrl: Story = {
  loaders: [
    authLoader({ state: 'signed-out' }, async (auth) => {
      const url = new URL(await auth.prepareCallback({ returnTo: RETURN_TO }));
      url.searchParams.delete('code');
      return { callbackUrl: url.href };
    }),
  ],
  play: async ({ canvasElement, args, globals }) => {
    await expectErrorWithRecovery({ canvasElement, globals }, 'invalid_callback_url', args.onError);
  },
};

/** Coze's token endpoint could not be reached during the exchange: `network_error` (transient). */
export const NetworkError: Story = {
  loaders: [
    authLoader({ state: 'signed-out' }, async (auth) => {
      const callbackUrl = await auth.prepareCallback({ returnTo: RETURN_TO });
      auth.model.failNext('exchange', 'network');
      return { callbackUrl };
    }),
  ],
  play: async ({ canvasElement, args, globals }) => {
    await expectErrorWithRecovery({ canvasElement, globals }, 'network_error', args.onError);
  },
};

/** Coze answered 503: `server_error` (transient; the default UI adds Coze's log id for support). */
export const ServerError: Story = {
  loaders: [
    authLoader({ state: 'signed-out' }, async (auth) => {
      const callbackUrl = await auth.prepareCallback({ returnTo: RETURN_TO });
      auth.model.failNext('exchange', { status: 503 });
      return { callbackUrl };
    }),
  ],
  play: async ({ canvasElement, args, globals }) => {
    await expectErrorWithRecovery({ canvasElement, globals }, 'server_error', args.onError);
  },
};

/** Your own failure UI with the `error` render prop; its `login` action is the recovery. */
export const CustomErrorUI: Story = {
  ...AccessDenied,
  args: {
    error: (error, { login }) => <BrandedError error={error} onRetry={() => void login()} />,
  },
  play: async ({ canvasElement, globals }) => {
    const canvas = within(canvasElement);
    const alert = await canvas.findByRole('alert', {}, { timeout: 5000 });
    await expect(alert).toHaveAttribute('data-error-code', 'access_denied');
    await expect(within(alert).getByRole('heading', { level: 1 })).toHaveTextContent(storyMessages(globals).errors.access_denied.title);
    await userEvent.tab();
    await expect(within(alert).getByRole('button', { name: 'Sign in with Coze again' })).toHaveFocus();
  },
};

/**
 * The default error UI in English: what happened and what to do (never `error.message`, which is
 * for developers and logs), Coze's log id for support, and **Try again**.
 */
export const ServerErrorInEnglish: Story = {
  ...ServerError,
  globals: { locale: 'en' },
  play: async ({ canvasElement, args, globals }) => {
    const alert = await expectErrorWithRecovery({ canvasElement, globals }, 'server_error', args.onError);
    await expect(alert).toHaveTextContent('Coze is busy or temporarily unavailable. Please try again in a moment.');
    await expect(alert).toHaveTextContent(/Coze log id: \w+/);
    await expect(within(alert).getByRole('button', { name: 'Try again' })).toBeEnabled();
  },
};

/** The same in Chinese (`locale="zh-CN"`): the notice says `lang="zh-CN"`. */
export const ServerErrorInChinese: Story = {
  ...ServerError,
  globals: { locale: 'zh-CN' },
  play: async ({ canvasElement, args, globals }) => {
    const alert = await expectErrorWithRecovery({ canvasElement, globals }, 'server_error', args.onError);
    await expect(alert).toHaveTextContent('扣子服务繁忙或暂时不可用，请稍后重试。');
    await expect(alert).toHaveTextContent(/扣子日志 ID：\w+/);
    await expect(within(alert).getByRole('button', { name: '重试' })).toBeEnabled();
  },
};

/** Cancel on Coze's consent page, in English. */
export const AccessDeniedInEnglish: Story = {
  ...AccessDenied,
  globals: { locale: 'en' },
  play: async ({ canvasElement, args, globals }) => {
    const alert = await expectErrorWithRecovery({ canvasElement, globals }, 'access_denied', args.onError);
    await expect(alert).toHaveTextContent('You cancelled the authorization on Coze. To continue, sign in again and allow access.');
  },
};

/** Cancel on Coze's consent page, in Chinese: 你取消了授权。 */
export const AccessDeniedInChinese: Story = {
  ...AccessDenied,
  globals: { locale: 'zh-CN' },
  play: async ({ canvasElement, args, globals }) => {
    const alert = await expectErrorWithRecovery({ canvasElement, globals }, 'access_denied', args.onError);
    await expect(alert).toHaveTextContent('你取消了授权。如需继续，请重新登录并同意授权。');
  },
};
