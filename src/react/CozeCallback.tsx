import { useEffect, useState, type ReactNode } from 'react';
import type { CozeAuthError } from '../core/errors.js';
import type { CallbackResult } from '../core/session/types.js';
import { AuthErrorNotice } from './AuthErrorNotice.js';
import { useCozeAuthContext } from './context.js';
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
  /** Shown while the code is exchanged. */
  loading?: ReactNode;
  /** Renders a failure. Default: an alert with the message and a "Try again" button. */
  error?: (error: CozeAuthError, actions: CozeCallbackErrorActions) => ReactNode;
  /** Where "Try again" returns to after signing in. Default `/`. */
  retryReturnTo?: string;
}

type Outcome = { kind: 'pending' } | { kind: 'done' } | { kind: 'error'; error: CozeAuthError };

// Several mounted callbacks share one result (same promise); only the first one navigates.
const navigated = new WeakSet<CallbackResult>();

/**
 * Render on your redirect route. Completes sign-in exactly once (StrictMode, duplicate mounts and
 * remounts included), then leaves for `returnTo`. On failure it renders the error with a way to
 * sign in again, and never redirects by itself.
 */
export function CozeCallback(props: CozeCallbackProps): ReactNode {
  const { session, onRedirectCallback } = useCozeAuthContext();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'pending' });
  const { onSuccess, onError } = props;

  useEffect(() => {
    let active = true;
    // Read in the effect, never in render (servers have no window). The session strips code/state
    // at once; a remount (StrictMode, router re-key, Suspense) sees the clean URL and the session
    // answers it with the outcome of the callback already under way.
    session.handleRedirectCallback(window.location.href).then(
      (result) => {
        if (!active) return;
        setOutcome({ kind: 'done' });
        if (navigated.has(result)) return;
        navigated.add(result);
        (onSuccess ?? onRedirectCallback ?? replaceLocation)(result.returnTo);
      },
      // The session only ever rejects with a CozeAuthError.
      (error: CozeAuthError) => {
        if (!active) return;
        setOutcome({ kind: 'error', error });
        onError?.(error);
      },
    );
    return () => {
      active = false;
    };
  }, [session, onSuccess, onError, onRedirectCallback]);

  if (outcome.kind === 'error') {
    const actions: CozeCallbackErrorActions = { login: () => session.login({ returnTo: props.retryReturnTo ?? '/' }) };
    return props.error ? props.error(outcome.error, actions) : <AuthErrorNotice error={outcome.error} login={actions.login} />;
  }
  return props.loading ?? (
    <p role="status" aria-live="polite">
      Signing you in…
    </p>
  );
}
