import { SigninState, State, WebStorageStateStore } from 'oidc-client-ts';
import type { ResolvedCozeConfig } from '../config.js';
import { CozeAuthError } from '../errors.js';
import { randomHex } from '../randomHex.js';
import { grantOf } from './earlyExchange.js';
import { transactionPrefix } from '../storage/transactionStorage.js';

/** What a pending sign-in remembers across the redirect. */
export interface AuthorizationTransaction {
  codeVerifier: string;
  redirectUri: string;
  /** Same-origin path chosen at login; re-validated by the caller before use. */
  returnTo: string | undefined;
}

/** The fields of oidc-client-ts's stored SigninState that a callback needs. */
interface StoredSignIn {
  client_id?: unknown;
  data?: TransactionData | null;
}

interface TransactionData {
  returnTo?: string;
}

// oidc-client-ts is only needed while signing in: this module is part of the lazily loaded sign-in
// flow. Coze is OAuth without OIDC, so only its PKCE state pieces are used (SigninState makes the
// verifier and challenge, WebStorageStateStore keeps it under the state, State sweeps stale ones);
// OidcClient would bring token, user-info and ID-token validation code a Coze sign-in never runs.

/** Pending sign-ins older than this are swept when a new one starts (oidc-client-ts's default). */
const STALE_AFTER_SECONDS = 15 * 60;

function stateStoreFor(config: ResolvedCozeConfig, store: Storage): WebStorageStateStore {
  return new WebStorageStateStore({ prefix: transactionPrefix(config.clientId), store });
}

function isCryptoFailure(error: unknown): boolean {
  return error instanceof Error && /crypto/i.test(error.message);
}

/**
 * Builds Coze's authorize URL with a fresh `state` and PKCE pair, storing the verifier in
 * `transactionStore` (sessionStorage) under the state. Stale pending sign-ins are swept first.
 */
export async function createAuthorizationRequest(
  config: ResolvedCozeConfig,
  transactionStore: Storage,
  returnTo: string | undefined,
): Promise<string> {
  const stateStore = stateStoreFor(config, transactionStore);
  await State.clearStaleState(stateStore, STALE_AFTER_SECONDS);
  const plain = config.codeChallengeMethod === 'plain';
  let state: SigninState;
  try {
    const pending = {
      data: { returnTo } satisfies TransactionData,
      client_id: config.clientId,
      authority: config.webBaseURL,
      redirect_uri: config.redirectUri,
      // Coze has no scopes; the stored state wants one, and it is never sent.
      scope: 'coze',
    };
    // 'plain' needs no hash, so it must not need crypto.subtle either (absent outside secure
    // contexts): SigninState.create hashes any verifier it is given, so this one is set after.
    state = plain
      ? Object.assign(await SigninState.create(pending), { code_verifier: randomHex(32) }) // 64 characters: RFC 7636 asks 43–128
      : await SigninState.create({ ...pending, code_verifier: true });
  } catch (cause) {
    if (isCryptoFailure(cause)) {
      throw new CozeAuthError('crypto_unavailable', 'PKCE needs Web Crypto (serve the app over https or localhost).', {
        cause,
      });
    }
    throw cause;
  }
  await stateStore.set(state.id, state.toStorageString());
  // RFC 6749 §4.1.1 with RFC 7636 §4.3; for 'plain' the challenge is the verifier itself (§4.2).
  const url = new URL(config.authorizeEndpoint);
  url.searchParams.append('client_id', config.clientId);
  url.searchParams.append('redirect_uri', config.redirectUri);
  url.searchParams.append('response_type', 'code');
  url.searchParams.append('state', state.id);
  url.searchParams.append('code_challenge', (plain ? state.code_verifier : state.code_challenge) ?? '');
  url.searchParams.append('code_challenge_method', plain ? 'plain' : 'S256');
  return url.href;
}

/**
 * Looks up and deletes the pending sign-in for the callback's `state` (single use). Throws
 * `state_mismatch` when none matches and `missing_verifier` when it has no PKCE verifier.
 */
export async function takeAuthorizationTransaction(
  config: ResolvedCozeConfig,
  transactionStore: Storage,
  callbackUrl: string,
): Promise<AuthorizationTransaction> {
  let stored: string | null = null;
  try {
    const id = new URL(callbackUrl).searchParams.get('state');
    stored = id ? await stateStoreFor(config, transactionStore).remove(id) : null;
  } catch {
    // unreadable: as good as missing
  }
  return readAuthorizationTransaction(config, stored);
}

/**
 * Reads a pending sign-in's stored record (taken from storage, or kept in memory by the early
 * exchange). Throws `state_mismatch` when there is none or it is not this client's, and
 * `missing_verifier` when it has no PKCE verifier.
 */
export function readAuthorizationTransaction(config: ResolvedCozeConfig, stored: string | null): AuthorizationTransaction {
  let state: StoredSignIn;
  try {
    if (!stored) throw new Error('No pending sign-in for this state.');
    // Read as data: SigninState.fromStorageString would hash the verifier again (crypto.subtle, which
    // a 'plain' sign-in on a non-secure origin does not have) only to drop the result.
    state = JSON.parse(stored) as StoredSignIn;
    if (typeof state !== 'object' || state === null) throw new Error('The pending sign-in is not a record.');
  } catch (cause) {
    throw new CozeAuthError(
      'state_mismatch',
      'This sign-in response does not match a sign-in started in this tab (it was already used, altered, or started elsewhere).',
      { cause },
    );
  }
  // Prefixes already keep clients apart; the stored client id is checked too, should a key be copied.
  if (state.client_id !== config.clientId) {
    throw new CozeAuthError('state_mismatch', 'This sign-in response belongs to another Coze app on this page.');
  }
  // The same reading the early exchange makes (so both send the same grant for one record).
  const grant = grantOf(stored as string, config.clientId, '', config.redirectUri);
  if (!grant) throw new CozeAuthError('missing_verifier', 'The pending sign-in has no PKCE verifier; start again.');
  const data = state.data ?? {};
  return {
    codeVerifier: grant.codeVerifier,
    redirectUri: grant.redirectUri,
    returnTo: typeof data.returnTo === 'string' ? data.returnTo : undefined,
  };
}
