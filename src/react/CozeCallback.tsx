import { useEffect, useState, type ReactNode } from 'react';
import { CozeAuthError } from '../core/errors';
import type { CallbackResult } from '../core/session/types';
import { useCozeAuthContext } from './context';
import { replaceLocation } from './navigation';

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
  // Read once: the session strips code/state from the address bar as soon as it starts.
  const [callbackUrl] = useState(() => window.location.href);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'pending' });
  const { onSuccess, onError } = props;

  useEffect(() => {
    let active = true;
    session.handleRedirectCallback(callbackUrl).then(
      (result) => {
        if (!active) return;
        setOutcome({ kind: 'done' });
        if (navigated.has(result)) return;
        navigated.add(result);
        (onSuccess ?? onRedirectCallback ?? replaceLocation)(result.returnTo);
      },
      (caught: unknown) => {
        if (!active) return;
        const error =
          caught instanceof CozeAuthError
            ? caught
            : new CozeAuthError('authorization_error', 'Sign-in failed unexpectedly.', { cause: caught });
        setOutcome({ kind: 'error', error });
        onError?.(error);
      },
    );
    return () => {
      active = false;
    };
  }, [session, callbackUrl, onSuccess, onError, onRedirectCallback]);

  if (outcome.kind === 'error') {
    const actions: CozeCallbackErrorActions = { login: () => session.login({ returnTo: props.retryReturnTo ?? '/' }) };
    return props.error ? props.error(outcome.error, actions) : <DefaultCallbackError error={outcome.error} actions={actions} />;
  }
  return props.loading ?? (
    <p role="status" aria-live="polite">
      Signing you in…
    </p>
  );
}

const ERROR_TITLES: Partial<Record<CozeAuthError['code'], string>> = {
  access_denied: 'Sign-in was cancelled',
  state_mismatch: 'This sign-in link has expired or was already used',
  invalid_callback_url: 'This sign-in link is incomplete',
  network_error: 'Coze could not be reached',
  server_error: 'Coze is having trouble',
};

function DefaultCallbackError({ error, actions }: { error: CozeAuthError; actions: CozeCallbackErrorActions }): ReactNode {
  const [pending, setPending] = useState(false);
  return (
    <div role="alert" data-error-code={error.code}>
      <p>
        <strong>{ERROR_TITLES[error.code] ?? 'Sign-in failed'}</strong>
      </p>
      <p>{error.message}</p>
      {error.logid ? <p>Coze log id: {error.logid}</p> : null}
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          setPending(true);
          actions.login().catch(() => setPending(false));
        }}
      >
        Try again
      </button>
    </div>
  );
}
