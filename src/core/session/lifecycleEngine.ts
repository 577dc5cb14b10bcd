import type { StoredTokens } from '../storage/tokenStore.js';
import { IDLE, reduceShellAction, type LifecycleAction, type LifecycleState, type ShellAction } from './lifecycle.js';

// The lifecycle reducer, whole. Its transitions about tokens (sign-in, refresh, adoption) happen
// only once the session engine runs, so they ship in the engine's chunk; the shell's own actions
// are reduced by lifecycle.ts, which this delegates to.

function signedIn(state: LifecycleState, tokens: StoredTokens, generation = state.generation): LifecycleState {
  return { generation, status: 'signed-in', tokens, refresh: IDLE, error: undefined };
}

/** Applies `action`; returns `state` itself when the action changes nothing (stale or redundant). */
export function reduce(state: LifecycleState, action: LifecycleAction): LifecycleState {
  if ('generation' in action && action.generation !== state.generation) return state;
  switch (action.type) {
    case 'signed-in':
      return state.status === 'signing-in' ? signedIn(state, action.tokens) : state;
    case 'refresh-started':
      return state.status === 'signed-in' && state.refresh.kind !== 'in-flight'
        ? { ...state, refresh: { kind: 'in-flight' } }
        : state;
    case 'refreshed':
    case 'rotation-adopted':
      return state.status === 'signed-in' ? signedIn(state, action.tokens) : state;
    case 'refresh-failed':
      if (state.status !== 'signed-in') return state;
      return {
        ...state,
        refresh: { kind: 'backoff', failedAt: action.failedAt, retryAt: action.retryAt, attempt: action.attempt, error: action.error },
        error: action.error,
      };
    case 'session-adopted':
      return signedIn(state, action.tokens, state.generation + 1);
    default:
      return reduceShellAction(state, action satisfies ShellAction);
  }
}
