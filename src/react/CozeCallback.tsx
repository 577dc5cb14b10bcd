import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { CozeAuthError } from '../core/errors.js';
import type { CallbackResult } from '../core/session/types.js';
import { useCozeAuthContext } from './context.js';
import { useCozeMessages } from './i18n/context.js';
import { LazyAuthErrorNotice as AuthErrorNotice } from './LazyAuthErrorNotice.js';
import { replaceLocation } from './navigation.js';

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

// Callbacks on screen together share one result (the same promise): only the first one navigates.
// Its mark goes when it unmounts, so a later visit to the route leaves again.
const navigatedBy = new WeakSet<CallbackResult>();

/**
 * Render on your redirect route. Completes sign-in exactly once (StrictMode, duplicate mounts and
 * remounts included), then leaves for `returnTo`. On failure it renders the error with a way to
 * sign in again, and never redirects by itself.
 */
export function CozeCallback(props: CozeCallbackProps): ReactNode {
  const { session, onRedirectCallback } = useCozeAuthContext();
  const { messages } = useCozeMessages();
  // Undefined while the callback is under way; 'done' once it left for returnTo (or the app's handler ran).
  const [outcome, setOutcome] = useState<CozeAuthError | 'done'>();
  // The latest handlers, read when the outcome arrives: inline arrow props change identity on
  // every render, and a re-render must not complete (or report) the sign-in a second time.
  const latest = { onSuccess: props.onSuccess, onError: props.onError, onRedirectCallback };
  const handlers = useRef(latest);
  handlers.current = latest;

  useEffect(() => {
    let active = true;
    let navigated: CallbackResult | undefined;
    // Read in the effect, never in render (servers have no window). The session strips code/state
    // at once; a remount (StrictMode, router re-key, Suspense) sees the clean URL and the session
    // answers it with the outcome of the callback already under way.
    session.handleRedirectCallback(window.location.href).then(
      (result) => {
        if (!active) return;
        setOutcome('done');
        if (navigatedBy.has(result)) return;
        navigated = result;
        navigatedBy.add(result);
        const { onSuccess, onRedirectCallback: leave } = handlers.current;
        (onSuccess ?? leave ?? replaceLocation)(result.returnTo);
      },
      // The session only ever rejects with a CozeAuthError.
      (failure: CozeAuthError) => {
        if (!active) return;
        setOutcome(failure);
        handlers.current.onError?.(failure);
      },
    );
    return () => {
      active = false;
      if (navigated) navigatedBy.delete(navigated);
    };
  }, [session]);

  if (outcome === 'done') return null;
  if (outcome) {
    const actions: CozeCallbackErrorActions = { login: () => session.login({ returnTo: props.retryReturnTo ?? '/' }) };
    return props.error ? props.error(outcome, actions) : <AuthErrorNotice error={outcome} login={actions.login} />;
  }
  return (
    props.loading ?? (
      <p role="status" aria-live="polite" lang={messages.lang}>
        {messages.signingIn}
      </p>
    )
  );
}
