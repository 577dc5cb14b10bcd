import { useMemo } from 'react';
import type { CozeAuthError } from '../core/errors.js';
import type { CozeAuthStatus, GetTokenOptions } from '../core/session/types.js';
import { useCozeSession } from './context.js';
import { useCozeAuthState } from './useCozeAuth.js';

/** What {@link useCozeToken} returns. */
export interface UseCozeTokenResult {
  accessToken: string | undefined;
  /** Access token expiry, epoch ms. */
  expiresAt: number | undefined;
  status: CozeAuthStatus;
  isRefreshing: boolean;
  error: CozeAuthError | undefined;
  /** Always resolves a token valid for at least the refresh skew, refreshing if needed. */
  getToken(options?: GetTokenOptions): Promise<string>;
  /** Refreshes now (shared with any refresh already in flight). */
  refresh(): Promise<string>;
}

/** The token state and an always-fresh `getToken()`. Re-renders on every refresh; for API calls prefer `useCozeClient`. */
export function useCozeToken(): UseCozeTokenResult {
  const session = useCozeSession();
  const { accessToken, expiresAt, status, isRefreshing, error } = useCozeAuthState(session);
  return useMemo(
    () => ({
      accessToken,
      expiresAt,
      status,
      isRefreshing,
      error,
      getToken: (options?: GetTokenOptions) => session.getToken(options),
      refresh: () => session.refresh(),
    }),
    [session, accessToken, expiresAt, status, isRefreshing, error],
  );
}
