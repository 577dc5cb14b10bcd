import type { CozeAuthError } from '../errors.js';

/**
 * - `loading`: only during server rendering and hydration, before the browser's state is read.
 * - `signed-out`: no tokens (check `error` for why, if anything went wrong).
 * - `signing-in`: a callback is being completed (code exchange in flight).
 * - `signed-in`: tokens are present; `getToken()` returns a fresh one.
 */
export type CozeAuthStatus = 'loading' | 'signed-out' | 'signing-in' | 'signed-in';

interface NoSession {
  readonly isAuthenticated: false;
  readonly accessToken: undefined;
  readonly expiresAt: undefined;
  readonly sessionId: undefined;
  readonly isRefreshing: false;
}

/** Server rendering and hydration: nothing is known yet. Render a neutral placeholder. */
export interface CozeLoadingState extends NoSession {
  readonly status: 'loading';
  readonly isLoading: true;
  readonly error: undefined;
}

/** No tokens. `error` says why the last attempt failed, if it did. */
export interface CozeSignedOutState extends NoSession {
  readonly status: 'signed-out';
  readonly isLoading: false;
  readonly error: CozeAuthError | undefined;
}

/** A callback is being completed: the code exchange is in flight. */
export interface CozeSigningInState extends NoSession {
  readonly status: 'signing-in';
  readonly isLoading: false;
  readonly error: undefined;
}

/** Signed in; `error` holds a transient refresh failure being retried, if any. */
export interface CozeSignedInState {
  readonly status: 'signed-in';
  readonly isLoading: false;
  readonly isAuthenticated: true;
  /** The current access token, for display or hand-rolled requests. Prefer `getToken()`. */
  readonly accessToken: string;
  /** Access token expiry on this browser's clock, epoch ms (estimated when the clocks disagree). */
  readonly expiresAt: number;
  /** Random id of the current sign-in, stable across refreshes. */
  readonly sessionId: string;
  /** True while a refresh request is in flight. */
  readonly isRefreshing: boolean;
  readonly error: CozeAuthError | undefined;
}

/**
 * An immutable snapshot of the session, keyed on `status`; a new object only when something
 * changed. `isAuthenticated` and `isLoading` are derived from `status`.
 */
export type CozeAuthState = CozeLoadingState | CozeSignedOutState | CozeSigningInState | CozeSignedInState;

/** Why a session ended. */
export type SignOutReason = 'logout' | 'other-tab' | 'refresh-rejected' | 'expired';

/** Lifecycle events, for logs and analytics. They never carry tokens. */
export type CozeAuthEvent =
  | { type: 'signed-in'; expiresAt: number; source: 'this-tab' | 'other-tab' }
  | { type: 'refreshed'; expiresAt: number; source: 'this-tab' | 'other-tab' }
  | { type: 'refresh-retry'; error: CozeAuthError; attempt: number; delayMs: number }
  | { type: 'signed-out'; reason: SignOutReason; error: CozeAuthError | undefined }
  | { type: 'storage-failed'; error: CozeAuthError }
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
