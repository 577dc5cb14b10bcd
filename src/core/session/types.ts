import type { CozeAuthError } from '../errors.js';

/**
 * - `signed-out`: no tokens (check `error` for why, if anything went wrong).
 * - `signing-in`: a callback is being completed (code exchange in flight).
 * - `signed-in`: tokens are present; `getToken()` returns a fresh one.
 */
export type CozeAuthStatus = 'signed-out' | 'signing-in' | 'signed-in';

/** An immutable snapshot of the session; a new object only when something changed. */
export interface CozeAuthState {
  readonly status: CozeAuthStatus;
  readonly isAuthenticated: boolean;
  /** The current access token, for display or hand-rolled requests. Prefer `getToken()`. */
  readonly accessToken: string | undefined;
  /** Access token expiry, epoch ms. */
  readonly expiresAt: number | undefined;
  /** Random id of the current sign-in, stable across refreshes. */
  readonly sessionId: string | undefined;
  /** True while a refresh request is in flight. */
  readonly isRefreshing: boolean;
  /** The last error, cleared by the next successful sign-in, refresh or `clearError()`. */
  readonly error: CozeAuthError | undefined;
}

/** Why a session ended. */
export type SignOutReason = 'logout' | 'other-tab' | 'refresh-rejected' | 'expired';

/** Lifecycle events, for logs and analytics. They never carry tokens. */
export type CozeAuthEvent =
  | { type: 'signed-in'; expiresAt: number }
  | { type: 'refreshed'; expiresAt: number; source: 'this-tab' | 'other-tab' }
  | { type: 'refresh-retry'; error: CozeAuthError; attempt: number; delayMs: number }
  | { type: 'signed-out'; reason: SignOutReason; error: CozeAuthError | undefined }
  | { type: 'error'; error: CozeAuthError };

/** What a completed callback tells the app. */
export interface CallbackResult {
  /** Same-origin path to go to next (validated again after the round trip). */
  returnTo: string;
  /** True when the URL was an already-used callback and the user is signed in anyway. */
  alreadySignedIn: boolean;
}

/** Options of {@link CozeSession.login}. */
export interface LoginOptions {
  /** Same-origin path (or same-origin absolute URL) to come back to. Default: the current page. */
  returnTo?: string;
}

/** Options of {@link CozeSession.getToken}. */
export interface GetTokenOptions {
  /** Refresh even if the current token is still fresh (e.g. after Coze answered 401). */
  forceRefresh?: boolean;
}
