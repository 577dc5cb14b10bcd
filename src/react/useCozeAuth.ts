import { useMemo } from 'react';
import type { CallbackResult, CozeAuthState, GetTokenOptions, LoginOptions } from '../core/session/types.js';
import { useCozeSession } from './context.js';
import { useCozeSelector } from './useCozeSelector.js';

/** The session's actions, as {@link useCozeAuth} returns them (stable across renders). */
export interface CozeAuthActions {
  /** Redirects to Coze's consent page. Rejects with `unsafe_return_to` for other origins. */
  login(options?: LoginOptions): Promise<void>;
  /** Signs out in every tab sharing the storage, and clears cached Coze queries. */
  logout(): void;
  /** Completes a callback by hand (prefer `<CozeCallback>`). */
  handleRedirectCallback(url?: string): Promise<CallbackResult>;
  /** A fresh access token; see `CozeSession.getToken`. */
  getToken(options?: GetTokenOptions): Promise<string>;
  /** Forgets `error`. */
  clearError(): void;
}

/** What {@link useCozeAuth} returns: the state (a union keyed on `status`) plus the actions. */
export type UseCozeAuthResult = CozeAuthState & CozeAuthActions;

const wholeState = (state: CozeAuthState) => state;

/**
 * Sign-in state and actions. Re-renders when the state changes (including token refreshes).
 * Server rendering and hydration see `status: 'loading'`, so the markup the server sent and the
 * client's first render agree; the real state follows.
 */
export function useCozeAuth(): UseCozeAuthResult {
  const session = useCozeSession();
  const state = useCozeSelector(wholeState);
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
  return useMemo((): UseCozeAuthResult => ({ ...state, ...actions }), [state, actions]);
}
