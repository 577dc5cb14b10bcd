import { useMemo } from 'react';
import type { CozeAuthError } from '../core/errors.js';
import type { CozeAuthState, CozeAuthStatus, GetTokenOptions } from '../core/session/types.js';
import { useCozeSession } from './context.js';
import { useCozeSelector } from './useCozeSelector.js';

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

type TokenSlice = Pick<UseCozeTokenResult, 'accessToken' | 'expiresAt' | 'status' | 'isRefreshing' | 'error'>;

const whole = (state: CozeAuthState): TokenSlice => state;

// A new state that differs only outside this slice (e.g. the session id) renders nothing here.
const sameToken = (a: TokenSlice, b: TokenSlice) =>
  a.accessToken === b.accessToken && a.expiresAt === b.expiresAt && a.status === b.status && a.isRefreshing === b.isRefreshing && a.error === b.error;

/**
 * The token state and an always-fresh `getToken()`. Re-renders when the token, its expiry, the
 * status, `isRefreshing` or `error` change (so on every refresh), not on other state changes;
 * for API calls prefer `useCozeClient`.
 */
export function useCozeToken(): UseCozeTokenResult {
  const session = useCozeSession();
  const { accessToken, expiresAt, status, isRefreshing, error } = useCozeSelector(whole, sameToken);
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
