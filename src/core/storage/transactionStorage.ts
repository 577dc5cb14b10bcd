import { CozeAuthError } from '../errors.js';
import { webStorage } from './storageAdapters.js';

/**
 * Where pending sign-ins (PKCE verifier + state) wait for the redirect back: sessionStorage, or —
 * where it is unusable (some privacy modes, sandboxed frames) — localStorage, whose entries the
 * sign-in flow sweeps after 15 minutes. A memory store would not survive the redirect, so with
 * neither the sign-in fails before leaving for Coze with `storage_unavailable`.
 */
export function resolveTransactionStorage(): Storage {
  const storage = webStorage('sessionStorage') ?? webStorage('localStorage');
  if (!storage) {
    throw new CozeAuthError(
      'storage_unavailable',
      'This browser keeps no storage across the redirect to Coze (sessionStorage and localStorage are blocked), so sign-in cannot start.',
    );
  }
  return storage;
}

/** sessionStorage key prefix of one client's pending sign-ins (one entry per `state`, removed on use). */
export function transactionPrefix(clientId: string): string {
  return `coze-auth.tx.${clientId}.`;
}

/** True when `storage` holds a pending sign-in of `clientId` for `state`. Synchronous, for the first render. */
export function hasPendingTransaction(storage: Storage | undefined, clientId: string, state: string): boolean {
  try {
    return (storage ?? resolveTransactionStorage()).getItem(transactionPrefix(clientId) + state) !== null;
  } catch {
    return false;
  }
}
