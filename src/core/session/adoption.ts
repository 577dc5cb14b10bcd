import type { StoredTokens } from '../storage/tokenStore.js';
import type { LifecycleState } from './lifecycle.js';

/** What tokens from another tab (or shared storage) mean for this tab. */
export type Adoption =
  | 'ignore'
  /** A newer rotation of this tab's own sign-in. */
  | 'rotation'
  /** Another, newer sign-in replaces this tab's (shared storage only). */
  | 'session'
  /** This tab's sign-in is the newer one: storage and the other tabs should hear it again. */
  | 'assert-mine';

export const rotationOf = (tokens: StoredTokens): number => tokens.rotation ?? 0;

/** Of two sign-ins, the one that completed later wins (ties broken by id), so every tab picks the same. */
export function isNewerSignIn(a: StoredTokens, b: StoredTokens): boolean {
  const at = a.signedInAt ?? a.obtainedAt;
  const bt = b.signedInAt ?? b.obtainedAt;
  return at !== bt ? at > bt : a.sessionId > b.sessionId;
}

/**
 * The adoption rule. Same sign-in: only a higher rotation is taken (an older copy, e.g. a storage
 * write still on its way, is ignored). Another sign-in: only shared storage makes it this tab's,
 * and only when it is newer. A tab completing its own sign-in ignores everything until it has.
 */
export function decideAdoption(state: LifecycleState, incoming: StoredTokens, sharedStorage: boolean): Adoption {
  const { status, tokens: mine } = state;
  if (status === 'signing-in') return 'ignore';
  const signedIn = status === 'signed-in' && mine !== undefined;
  if (signedIn && incoming.sessionId === mine.sessionId) return rotationOf(incoming) > rotationOf(mine) ? 'rotation' : 'ignore';
  if (!sharedStorage) return 'ignore';
  // The other tab may have ignored this tab's sign-in while completing its own: say it again.
  if (signedIn && !isNewerSignIn(incoming, mine)) return 'assert-mine';
  return 'session';
}
