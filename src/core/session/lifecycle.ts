import type { CozeAuthError } from '../errors.js';
import type { StoredTokens } from '../storage/tokenStore.js';
import type { CozeAuthState } from './types.js';

/**
 * The session's lifecycle as data: a pure reducer over named actions, the one place state changes.
 *
 * Generations: signing in, signing out and adopting another tab's sign-in each start a new
 * generation. Every async step (code exchange, refresh, lock wait, lazy import) carries the
 * generation it started in; an action from an older generation changes nothing, so a late answer
 * can never undo a sign-out or overwrite a newer sign-in.
 */

/** Where the refresh of the current tokens stands. */
export type RefreshPhase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'in-flight' }
  /** A transient failure; one retry is scheduled at `retryAt`, and callers share its outcome. */
  | { readonly kind: 'backoff'; readonly failedAt: number; readonly retryAt: number; readonly attempt: number; readonly error: CozeAuthError };

export interface LifecycleState {
  readonly generation: number;
  /** `restoring`: worker mode only, until the token vault says whether it holds a sign-in. */
  readonly status: 'restoring' | 'signed-out' | 'signing-in' | 'signed-in';
  /** Kept while `signing-in` too, so a replayed callback can fall back to the session it interrupted. */
  readonly tokens: StoredTokens | undefined;
  readonly refresh: RefreshPhase;
  readonly error: CozeAuthError | undefined;
}

/** Actions that belong to a generation carry it; the reducer drops them when it is not current. */
interface Stamped {
  readonly generation: number;
}

export type LifecycleAction =
  | { readonly type: 'callback-started' }
  | ({ readonly type: 'signed-in'; readonly tokens: StoredTokens } & Stamped)
  | ({ readonly type: 'sign-in-failed'; readonly error: CozeAuthError; readonly keepSession: boolean } & Stamped)
  | ({ readonly type: 'refresh-started' } & Stamped)
  | ({ readonly type: 'refreshed'; readonly tokens: StoredTokens } & Stamped)
  | ({ readonly type: 'refresh-failed'; readonly error: CozeAuthError; readonly failedAt: number; readonly retryAt: number; readonly attempt: number } & Stamped)
  /** A newer rotation of this sign-in, from another tab or from storage. */
  | ({ readonly type: 'rotation-adopted'; readonly tokens: StoredTokens } & Stamped)
  /** Another tab's (newer) sign-in replaces this one. */
  | { readonly type: 'session-adopted'; readonly tokens: StoredTokens }
  | { readonly type: 'signed-out'; readonly error: CozeAuthError | undefined }
  | { readonly type: 'error-reported'; readonly error: CozeAuthError }
  | { readonly type: 'error-cleared' };

export const IDLE: RefreshPhase = Object.freeze({ kind: 'idle' });

/** The state of a session that restored `tokens` (or nothing) from storage, or waits for its vault to say (`restoring`). */
export function initialLifecycle(tokens: StoredTokens | undefined, signingIn = false, restoring = false): LifecycleState {
  return {
    generation: 0,
    status: signingIn ? 'signing-in' : tokens ? 'signed-in' : restoring ? 'restoring' : 'signed-out',
    tokens,
    refresh: IDLE,
    error: undefined,
  };
}

/** The actions the eager shell makes itself; the engine's own (tokens, refresh, adoption) are in lifecycleEngine.ts. */
export type ShellAction = Extract<LifecycleAction, { type: 'callback-started' | 'sign-in-failed' | 'signed-out' | 'error-reported' | 'error-cleared' }>;

/**
 * The reducer for the shell's actions (the whole reducer is lifecycleEngine.ts's `reduce`, which
 * the engine's chunk brings). Returns `state` itself when the action changes nothing (stale or redundant).
 */
export function reduceShellAction(state: LifecycleState, action: ShellAction): LifecycleState {
  if ('generation' in action && action.generation !== state.generation) return state;
  switch (action.type) {
    case 'callback-started':
      return { ...state, generation: state.generation + 1, status: 'signing-in', refresh: IDLE, error: undefined };
    case 'sign-in-failed':
      if (state.status !== 'signing-in') return state;
      return action.keepSession && state.tokens
        ? { ...state, status: 'signed-in' }
        : { ...state, status: 'signed-out', tokens: undefined, error: action.error };
    case 'signed-out':
      if (state.status === 'signed-out' && !state.tokens && state.error === action.error) return state;
      return { generation: state.generation + 1, status: 'signed-out', tokens: undefined, refresh: IDLE, error: action.error };
    case 'error-reported':
      return state.status === 'signing-in' ? state : { ...state, error: action.error };
    case 'error-cleared':
      return state.error ? { ...state, error: undefined } : state;
  }
}

const NO_SESSION = {
  isLoading: false,
  isAuthenticated: false,
  accessToken: undefined,
  expiresAt: undefined,
  sessionId: undefined,
  isRefreshing: false,
} as const;

const SIGNED_OUT: CozeAuthState = Object.freeze({ ...NO_SESSION, status: 'signed-out', error: undefined });
const SIGNING_IN: CozeAuthState = Object.freeze({ ...NO_SESSION, status: 'signing-in', error: undefined });

/** The snapshot React (and anyone else) sees. Nothing in it is stored twice. */
export function toAuthState(state: LifecycleState): CozeAuthState {
  const { status, tokens, error } = state;
  if (status === 'signed-in' && tokens) {
    return Object.freeze({
      status,
      isLoading: false,
      isAuthenticated: true,
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      sessionId: tokens.sessionId,
      isRefreshing: state.refresh.kind === 'in-flight',
      error,
    });
  }
  if (status === 'signing-in') return SIGNING_IN;
  if (status === 'restoring') return LOADING_STATE;
  return error ? Object.freeze({ ...NO_SESSION, status: 'signed-out', error }) : SIGNED_OUT;
}

/** What servers render and hydration starts from: the same object everywhere, so markup matches. */
export const LOADING_STATE: CozeAuthState = Object.freeze({
  ...NO_SESSION,
  status: 'loading',
  isLoading: true,
  error: undefined,
});
