import { useEffect, useState, type ReactNode } from 'react';
import type { CozeAuthError } from '../core/errors.js';
import type { CallbackResult } from '../core/session/types.js';
import type { CozeCallbackErrorActions, CozeCallbackProps } from './CozeCallback.js';
import { LazyAuthErrorNotice as AuthErrorNotice } from './LazyAuthErrorNotice.js';
import { useCozeAuthContext } from './context.js';
import { replaceLocation } from './navigation.js';

type Outcome = { kind: 'pending' } | { kind: 'done' } | { kind: 'error'; error: CozeAuthError };

// Several mounted callbacks share one result (same promise); only the first one navigates.
const navigated = new WeakSet<CallbackResult>();

/** What {@link CozeCallback} renders once this chunk has loaded; `loading` is already resolved to an element. */
export function CozeCallbackView(props: CozeCallbackProps & { loading: ReactNode }): ReactNode {
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
  return props.loading;
}
