import { describe, expect, it } from 'vitest';
import { CozeAuthError } from '../../src/core/errors';
import {
  LOADING_STATE,
  initialLifecycle,
  toAuthState,
  type LifecycleAction,
  type LifecycleState,
} from '../../src/core/session/lifecycle';
import { reduce } from '../../src/core/session/lifecycleEngine';
import type { StoredTokens } from '../../src/core/storage/tokenStore';

const tokens = (accessToken: string, rotation = 0, sessionId = 's1'): StoredTokens => ({
  accessToken,
  refreshToken: `r-${accessToken}`,
  expiresAt: 2_000,
  obtainedAt: 1_000,
  tokenType: 'Bearer',
  sessionId,
  rotation,
});
const transient = new CozeAuthError('server_error', 'down');
const dead = new CozeAuthError('invalid_grant', 'rejected');

const signedOut: LifecycleState = initialLifecycle(undefined);
const signedIn: LifecycleState = initialLifecycle(tokens('a'));
const signingIn: LifecycleState = reduce(signedOut, { type: 'callback-started' });
const refreshing: LifecycleState = reduce(signedIn, { type: 'refresh-started', generation: 0 });
const restoring: LifecycleState = initialLifecycle(undefined, false, true);
const backingOff: LifecycleState = reduce(refreshing, { type: 'refresh-failed', generation: 0, error: transient, failedAt: 4_000, retryAt: 5_000, attempt: 1 });

type Row = [name: string, from: LifecycleState, action: LifecycleAction, expected: Partial<LifecycleState> | 'unchanged'];

// The table of transitions: from state × action → what the next state holds (or that nothing changed).
const table: Row[] = [
  ['signed-out + callback-started → signing-in, new generation', signedOut, { type: 'callback-started' }, { status: 'signing-in', generation: 1 }],
  ['signed-in + callback-started → signing-in, old tokens kept for a harmless replay', signedIn, { type: 'callback-started' }, { status: 'signing-in', generation: 1, tokens: tokens('a') }],
  ['signing-in + signed-in (same generation) → signed-in', signingIn, { type: 'signed-in', generation: 1, tokens: tokens('b') }, { status: 'signed-in', tokens: tokens('b') }],
  ['signing-in + signed-in (older generation) → unchanged', signingIn, { type: 'signed-in', generation: 0, tokens: tokens('b') }, 'unchanged'],
  ['signed-out + signed-in → unchanged (no sign-in under way)', signedOut, { type: 'signed-in', generation: 0, tokens: tokens('b') }, 'unchanged'],
  ['signing-in + sign-in-failed → signed-out with the error', signingIn, { type: 'sign-in-failed', generation: 1, error: dead, keepSession: true }, { status: 'signed-out', error: dead, tokens: undefined }],
  ['signing-in over a session + sign-in-failed → back to that session', reduce(signedIn, { type: 'callback-started' }), { type: 'sign-in-failed', generation: 1, error: dead, keepSession: true }, { status: 'signed-in', tokens: tokens('a') }],
  ['signed-in + refresh-started → in flight', signedIn, { type: 'refresh-started', generation: 0 }, { refresh: { kind: 'in-flight' } }],
  ['in flight + refresh-started → unchanged', refreshing, { type: 'refresh-started', generation: 0 }, 'unchanged'],
  ['signed-out + refresh-started → unchanged', signedOut, { type: 'refresh-started', generation: 0 }, 'unchanged'],
  ['in flight + refreshed → idle, new tokens, error cleared', refreshing, { type: 'refreshed', generation: 0, tokens: tokens('b', 1) }, { refresh: { kind: 'idle' }, tokens: tokens('b', 1), error: undefined }],
  ['in flight + refreshed (older generation) → unchanged', refreshing, { type: 'refreshed', generation: 7, tokens: tokens('b', 1) }, 'unchanged'],
  ['in flight + refresh-failed → backoff with the pending error', refreshing, { type: 'refresh-failed', generation: 0, error: transient, failedAt: 4_000, retryAt: 5_000, attempt: 1 }, { refresh: { kind: 'backoff', failedAt: 4_000, retryAt: 5_000, attempt: 1, error: transient }, error: transient }],
  ['backoff + rotation-adopted → idle, other tab’s tokens', backingOff, { type: 'rotation-adopted', generation: 0, tokens: tokens('c', 1) }, { refresh: { kind: 'idle' }, tokens: tokens('c', 1), error: undefined, generation: 0 }],
  ['signed-in + session-adopted → new generation', signedIn, { type: 'session-adopted', tokens: tokens('z', 0, 's2') }, { generation: 1, status: 'signed-in', tokens: tokens('z', 0, 's2') }],
  ['signed-out + session-adopted → signed-in, new generation', signedOut, { type: 'session-adopted', tokens: tokens('z', 0, 's2') }, { generation: 1, status: 'signed-in' }],
  ['in flight + signed-out → signed-out, new generation (the late answer is then stale)', refreshing, { type: 'signed-out', error: undefined }, { status: 'signed-out', generation: 1, tokens: undefined, refresh: { kind: 'idle' } }],
  ['signing-in + signed-out → signed-out, new generation', signingIn, { type: 'signed-out', error: undefined }, { status: 'signed-out', generation: 2 }],
  ['signed-out + signed-out → unchanged', signedOut, { type: 'signed-out', error: undefined }, 'unchanged'],
  ['signed-in + signed-out with error → signed-out with it', signedIn, { type: 'signed-out', error: dead }, { status: 'signed-out', error: dead }],
  ['signed-out + error-reported → error set', signedOut, { type: 'error-reported', error: dead }, { error: dead, status: 'signed-out' }],
  ['signing-in + error-reported → unchanged', signingIn, { type: 'error-reported', error: dead }, 'unchanged'],
  ['backoff + error-cleared → error cleared, retry still planned', backingOff, { type: 'error-cleared' }, { error: undefined, refresh: backingOff.refresh }],
  ['signed-in + error-cleared → unchanged', signedIn, { type: 'error-cleared' }, 'unchanged'],
  ['restoring + session-adopted (the vault holds a sign-in) → signed-in, new generation', restoring, { type: 'session-adopted', tokens: tokens('v') }, { status: 'signed-in', generation: 1, tokens: tokens('v') }],
  ['restoring + signed-out (the vault holds none) → signed-out, new generation', restoring, { type: 'signed-out', error: undefined }, { status: 'signed-out', generation: 1 }],
  ['restoring + callback-started → signing-in', restoring, { type: 'callback-started' }, { status: 'signing-in', generation: 1 }],
  ['restoring + rotation-adopted → unchanged (nothing to rotate yet)', restoring, { type: 'rotation-adopted', generation: 0, tokens: tokens('v', 1) }, 'unchanged'],
  ['restoring + refresh-started → unchanged', restoring, { type: 'refresh-started', generation: 0 }, 'unchanged'],
];

describe('lifecycle reducer', () => {
  it.each(table)('%s', (_name, from, action, expected) => {
    const next = reduce(from, action);
    if (expected === 'unchanged') expect(next).toBe(from);
    else expect(next).toMatchObject(expected);
  });

  it('is pure: the state it was given is never modified', () => {
    const frozen = Object.freeze({ ...refreshing });
    expect(() => reduce(frozen, { type: 'signed-out', error: undefined })).not.toThrow();
    expect(frozen.status).toBe('signed-in');
  });

  it('restores a callback page as signing-in', () => {
    expect(initialLifecycle(undefined, true).status).toBe('signing-in');
  });
});

describe('toAuthState', () => {
  it('derives isAuthenticated and isLoading from status, never stores them', () => {
    expect(toAuthState(signedIn)).toMatchObject({ status: 'signed-in', isAuthenticated: true, isLoading: false, accessToken: 'a', sessionId: 's1' });
    expect(toAuthState(signedOut)).toMatchObject({ status: 'signed-out', isAuthenticated: false, accessToken: undefined });
    expect(toAuthState(signingIn)).toMatchObject({ status: 'signing-in', isAuthenticated: false, accessToken: undefined });
    expect(LOADING_STATE).toMatchObject({ status: 'loading', isLoading: true, isAuthenticated: false });
    // Worker mode before the vault answered: the same loading snapshot servers render.
    expect(toAuthState(restoring)).toBe(LOADING_STATE);
  });

  it('reports isRefreshing only while a request is in flight, and the pending error during backoff', () => {
    expect(toAuthState(refreshing).isRefreshing).toBe(true);
    expect(toAuthState(backingOff)).toMatchObject({ isRefreshing: false, error: transient, isAuthenticated: true });
  });

  it('returns the same object for the same signed-out state (no spurious renders)', () => {
    expect(toAuthState(signedOut)).toBe(toAuthState(initialLifecycle(undefined)));
  });
});
