import { lazy, Suspense, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import { CozeAuthError } from '../core/errors.js';
import { ChunkBoundary, PlainNotice } from './ChunkBoundary.js';
import { useCozeAuthContext } from './context.js';
import { useCozeMessages } from './i18n/context.js';

/** Recovery actions handed to a custom error renderer. */
export interface CozeCallbackErrorActions {
  /** Starts a fresh sign-in (a used callback can never be retried). */
  login(): Promise<void>;
}

/** Props of {@link CozeCallback}. */
export interface CozeCallbackProps {
  /** Called once with the same-origin `returnTo` after sign-in. Default: the provider's `onRedirectCallback`, else replace the URL. */
  onSuccess?: (returnTo: string) => void;
  /** Called once when sign-in fails. */
  onError?: (error: CozeAuthError) => void;
  /** Shown while the code is exchanged. Default: the `signingIn` message ("Signing you in…", 正在登录…). */
  loading?: ReactNode;
  /** Renders a failure. Default: an alert with the error's description in the provider's language and a "Try again" button. */
  error?: (error: CozeAuthError, actions: CozeCallbackErrorActions) => ReactNode;
  /** Where "Try again" returns to after signing in. Default `/`. */
  retryReturnTo?: string;
}

// Only the redirect route needs the callback's logic and its error notice: the view is a chunk of
// its own, downloaded while the session loads the code exchange (the status text shows meanwhile).
const CallbackView = lazy(() => import('./CozeCallbackView.js').then((module) => ({ default: module.CozeCallbackView })));

// Servers (and hydration) render only the status text: the view does its work in an effect, and a
// lazy component suspending in renderToString would abort the server render.
const noSubscription = () => () => undefined;
const onClient = () => true;
const onServer = () => false;

/**
 * Render on your redirect route. Completes sign-in exactly once (StrictMode, duplicate mounts and
 * remounts included), then leaves for `returnTo`. On failure it renders the error with a way to
 * sign in again, and never redirects by itself.
 */
export function CozeCallback(props: CozeCallbackProps): ReactNode {
  const { session } = useCozeAuthContext();
  const { messages } = useCozeMessages();
  const hydrated = useSyncExternalStore(noSubscription, onClient, onServer);
  // The exchange starts now (and the code leaves the address bar), not once the view's chunk has
  // arrived; the view then gets this same callback from the session (it is keyed on its state).
  useEffect(() => void session.handleRedirectCallback(window.location.href).catch(() => undefined), [session]);
  const loading = props.loading ?? (
    <p role="status" aria-live="polite" lang={messages.lang}>
      {messages.signingIn}
    </p>
  );
  // The view's chunk could not load (offline, a redeploy): the session still completes the sign-in
  // on its own; this offers a fresh one rather than a page that waits forever.
  const unloadable = (
    <PlainNotice
      error={new CozeAuthError('network_error', 'Could not load the sign-in page.')}
      login={() => session.login({ returnTo: props.retryReturnTo ?? '/' })}
    />
  );
  if (!hydrated) return loading;
  return (
    <ChunkBoundary fallback={unloadable}>
      <Suspense fallback={loading}>
        <CallbackView {...props} loading={loading} />
      </Suspense>
    </ChunkBoundary>
  );
}
