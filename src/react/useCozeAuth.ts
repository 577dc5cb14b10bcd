import { useMemo, useSyncExternalStore } from 'react';
import type { CozeAuthError } from '../core/errors.js';
import type { CozeSession } from '../core/session/CozeSession.js';
import type { CallbackResult, CozeAuthState, GetTokenOptions, LoginOptions } from '../core/session/types.js';
import { useCozeSession } from './context.js';

/** What {@link useCozeAuth} returns: the session state plus its actions (stable across renders). */
export interface UseCozeAuthResult extends CozeAuthState {
  /** Redirects to Coze's consent page. Rejects with `unsafe_return_to` for other origins. */
  login(options?: LoginOptions): Promise<void>;
  /** Signs out in every tab sharing the storage, and clears cached Coze queries. */
  logout(): void;
  /** Completes a callback by hand (prefer `<CozeCallback>`). */
  handleRedirectCallback(url?: string): Promise<CallbackResult>;
  /** A fresh access token; see {@link CozeSession.getToken}. */
  getToken(options?: GetTokenOptions): Promise<string>;
  /** Forgets `error`. */
  clearError(): void;
  /** The last error, typed. */
  error: CozeAuthError | undefined;
}

/** Subscribes to the whole session state. */
export function useCozeAuthState(session: CozeSession): CozeAuthState {
  return useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);
}

/** Sign-in state and actions. Re-renders when the state changes (including token refreshes). */
export function useCozeAuth(): UseCozeAuthResult {
  const session = useCozeSession();
  const state = useCozeAuthState(session);
  const actions = useMemo(
    () => ({
      login: (options?: LoginOptions) => session.login(options),
      logout: () => session.logout(),
      handleRedirectCallback: (url?: string) => session.handleRedirectCallback(url),
      getToken: (options?: GetTokenOptions) => session.getToken(options),
      clearError: () => session.clearError(),
    }),
    [session],
  );
  return useMemo(() => ({ ...state, ...actions }), [state, actions]);
}
