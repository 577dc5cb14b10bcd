import type { AuthorizationCodeGrant, SentRequest } from '../protocol/tokenClient.js';
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

/**
 * A pending sign-in whose code exchange has already left (see earlyExchange.ts). Its record moves
 * from storage to page memory as the request leaves, so a reload cannot send the code again and no
 * verifier stays behind in storage; the sign-in flow takes it from here.
 */
export interface SentSignIn extends SentRequest {
  /** The stored record, as the flow would have read it from storage. */
  readonly record: string;
  /** Exactly what was sent. */
  readonly grant: AuthorizationCodeGrant;
  /** Set when the response arrives: its token's lifetime starts then, not when the flow reads it. */
  receivedAt: number | undefined;
}

const sent = new Map<string, SentSignIn>();

export function keepSentSignIn(clientId: string, state: string, signIn: SentSignIn): void {
  sent.set(transactionPrefix(clientId) + state, signIn);
}

/** Hands over (once) the sent sign-in of `clientId` for `state`. */
export function takeSentSignIn(clientId: string, state: string): SentSignIn | undefined {
  const key = transactionPrefix(clientId) + state;
  const signIn = sent.get(key);
  sent.delete(key);
  return signIn;
}

/** True when a sign-in of `clientId` for `state` is pending: in `storage`, or sent. Synchronous, for the first render. */
export function hasPendingTransaction(storage: Storage | undefined, clientId: string, state: string): boolean {
  const key = transactionPrefix(clientId) + state;
  try {
    return sent.has(key) || ((storage ?? usableTransactionStorage())?.getItem(key) ?? null) !== null;
  } catch {
    return false;
  }
}

/** Deletes the pending sign-in of `clientId` for `state`, if any (best effort); a sent one is cancelled. */
export function forgetPendingSignIn(storage: Storage | undefined, clientId: string, state: string): void {
  takeSentSignIn(clientId, state)?.controller.abort();
  try {
    (storage ?? usableTransactionStorage())?.removeItem(transactionPrefix(clientId) + state);
  } catch {
    // Unwritable storage: the sweep of stale sign-ins removes it later.
  }
}
