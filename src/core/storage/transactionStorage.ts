import { webStorage } from './storageAdapters.js';

/**
 * Where pending sign-ins (PKCE verifier + state) wait for the redirect back: sessionStorage, or —
 * where it is unusable (some privacy modes, sandboxed frames) — localStorage, whose entries the
 * sign-in flow sweeps after 15 minutes. Undefined when neither works (a memory store would not
 * survive the redirect).
 */
export function usableTransactionStorage(): Storage | undefined {
  return webStorage('sessionStorage') ?? webStorage('localStorage');
}

/** sessionStorage key prefix of one client's pending sign-ins (one entry per `state`, removed on use). */
export function transactionPrefix(clientId: string): string {
  return `coze-auth.tx.${clientId}.`;
}

/** True when `storage` holds a pending sign-in of `clientId` for `state`. Synchronous, for the first render. */
export function hasPendingTransaction(storage: Storage | undefined, clientId: string, state: string): boolean {
  try {
    return ((storage ?? usableTransactionStorage())?.getItem(transactionPrefix(clientId) + state) ?? null) !== null;
  } catch {
    return false;
  }
}

/** Deletes the pending sign-in of `clientId` for `state`, if any (best effort). */
export function forgetPendingSignIn(storage: Storage | undefined, clientId: string, state: string): void {
  try {
    (storage ?? usableTransactionStorage())?.removeItem(transactionPrefix(clientId) + state);
  } catch {
    // Unwritable storage: the sweep of stale sign-ins removes it later.
  }
}
