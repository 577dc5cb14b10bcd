// Hostile review 6: the lifecycle reducer split. The shell reduces its own actions
// (lifecycle.ts reduceShellAction); the engine's chunk brings the whole reducer (lifecycleEngine.ts
// reduce). Checked against the reducer as it was before the split (preSplitLifecycle.ts, verbatim
// from b5b2ddc) over every action from a large space of states.
import { describe, expect, it } from 'vitest';
import { CozeAuthError } from '../../src/core/errors';
import { reduceShellAction, toAuthState, type LifecycleAction, type LifecycleState, type ShellAction } from '../../src/core/session/lifecycle';
import { reduce } from '../../src/core/session/lifecycleEngine';
import { reduce as preSplitReduce } from './preSplitLifecycle';
import type { StoredTokens } from '../../src/core/storage/tokenStore';

function tokens(id: string, rotation = 0): StoredTokens {
  return { accessToken: `at-${id}-${rotation}`, refreshToken: `rt-${id}`, expiresAt: 2_000, obtainedAt: 1_000, tokenType: 'Bearer', sessionId: id, rotation };
}

const errorA = new CozeAuthError('server_error', 'a');
const errorB = new CozeAuthError('invalid_grant', 'b');
const tokenSets = [undefined, tokens('s1'), tokens('s1', 3)];

function* states(): Generator<LifecycleState> {
  for (const generation of [0, 1, 2])
    for (const status of ['signed-out', 'signing-in', 'signed-in'] as const)
      for (const tokenSet of tokenSets)
        for (const refresh of [{ kind: 'idle' }, { kind: 'in-flight' }, { kind: 'backoff', failedAt: 1, retryAt: 2, attempt: 1, error: errorA }] as const)
          for (const error of [undefined, errorA, errorB]) yield { generation, status, tokens: tokenSet, refresh, error };
}

function actionsFor(state: LifecycleState): LifecycleAction[] {
  const out: LifecycleAction[] = [{ type: 'callback-started' }, { type: 'error-cleared' }];
  for (const error of [undefined, errorA, errorB]) out.push({ type: 'signed-out', error });
  for (const error of [errorA, errorB]) out.push({ type: 'error-reported', error });
  for (const generation of [state.generation - 1, state.generation, state.generation + 1]) {
    for (const keepSession of [true, false]) out.push({ type: 'sign-in-failed', generation, error: errorB, keepSession });
    for (const t of [tokens('s1', 4), tokens('s2')]) {
      out.push({ type: 'signed-in', generation, tokens: t }, { type: 'refreshed', generation, tokens: t }, { type: 'rotation-adopted', generation, tokens: t });
    }
    out.push({ type: 'refresh-started', generation });
    out.push({ type: 'refresh-failed', generation, error: errorA, failedAt: 5, retryAt: 9, attempt: 2 });
  }
  out.push({ type: 'session-adopted', tokens: tokens('s3') });
  return out;
}

const SHELL_TYPES = new Set(['callback-started', 'sign-in-failed', 'signed-out', 'error-reported', 'error-cleared']);

describe('hostile6: the lifecycle reducer split', () => {
  it('held: the whole reducer (engine chunk) equals the pre-split reducer on every state × action, identity included', () => {
    let checked = 0;
    for (const state of states()) {
      for (const action of actionsFor(state)) {
        // The generated states never use worker mode's `restoring`, which the pre-split type lacks.
        const before = preSplitReduce(state as Parameters<typeof preSplitReduce>[0], action) as LifecycleState;
        const after = reduce(state, action);
        expect(after).toEqual(before);
        expect(after === state).toBe(before === state); // "returns state itself when nothing changes"
        expect(toAuthState(after)).toEqual(toAuthState(before));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(9_000);
  });

  it('held: the shell reducer equals the whole reducer on each shell action (what the shell applies before the engine arrives)', () => {
    for (const state of states()) {
      for (const action of actionsFor(state).filter((a): a is ShellAction => SHELL_TYPES.has(a.type))) {
        const shell = reduceShellAction(state, action);
        expect(shell).toEqual(reduce(state, action));
        expect(shell === state).toBe(reduce(state, action) === state);
      }
    }
  });

  it('held: a stale generation changes nothing in either reducer (late answers after a logout)', () => {
    const signedOut: LifecycleState = { generation: 2, status: 'signed-out', tokens: undefined, refresh: { kind: 'idle' }, error: undefined };
    for (const action of actionsFor(signedOut).filter((a) => 'generation' in a && a.generation !== 2)) {
      expect(reduce(signedOut, action)).toBe(signedOut);
    }
    expect(reduce(signedOut, { type: 'signed-in', generation: 2, tokens: tokens('late') })).toBe(signedOut);
  });
});
