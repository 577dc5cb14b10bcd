import type { OidcClient } from 'oidc-client-ts';
import type { ResolvedCozeConfig } from '../config.js';
import { CozeAuthError } from '../errors.js';
import { transactionPrefix } from '../storage/transactionStorage.js';


/** What a pending sign-in remembers across the redirect. */
export interface AuthorizationTransaction {
  codeVerifier: string;
  redirectUri: string;
  /** Same-origin path chosen at login; re-validated by the caller before use. */
  returnTo: string | undefined;
}

interface TransactionData {
  returnTo?: string;
}

// oidc-client-ts is only needed while signing in, so it is fetched on demand and kept out of the
// initial bundle. One client per (config, storage) pair.
const clients = new WeakMap<ResolvedCozeConfig, Map<Storage, Promise<OidcClient>>>();

function loadOidcClient(config: ResolvedCozeConfig, store: Storage): Promise<OidcClient> {
  let byStore = clients.get(config);
  if (!byStore) clients.set(config, (byStore = new Map()));
  let client = byStore.get(store);
  if (!client) {
    client = import('oidc-client-ts').then(
      ({ OidcClient, WebStorageStateStore }) =>
        new OidcClient({
          authority: config.webBaseURL,
          client_id: config.clientId,
          redirect_uri: config.redirectUri,
          response_type: 'code',
          // Coze has no scopes; oidc-client-ts insists on one, so it is set and never sent.
          scope: 'coze',
          omitScopeWhenRequesting: true,
          // Coze is not OIDC: no discovery document, so the endpoints are given outright.
          metadata: {
            issuer: config.webBaseURL,
            authorization_endpoint: config.authorizeEndpoint,
            token_endpoint: config.tokenEndpoint,
          },
          stateStore: new WebStorageStateStore({ prefix: transactionPrefix(config.clientId), store }),
        }),
    );
    byStore.set(store, client);
  }
  return client;
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
  const client = await loadOidcClient(config, transactionStore);
  await client.clearStaleState();
  let request;
  try {
    const data: TransactionData = { returnTo };
    request = await client.createSigninRequest({ state: data });
  } catch (cause) {
    if (isCryptoFailure(cause)) {
      throw new CozeAuthError('crypto_unavailable', 'PKCE needs Web Crypto (serve the app over https or localhost).', {
        cause,
      });
    }
    throw cause;
  }
  if (config.codeChallengeMethod === 'S256') return request.url;
  // oidc-client-ts only speaks S256; for 'plain' the challenge is the verifier itself (RFC 7636 §4.2).
  const url = new URL(request.url);
  url.searchParams.set('code_challenge', request.state.code_verifier ?? '');
  url.searchParams.set('code_challenge_method', 'plain');
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
  const client = await loadOidcClient(config, transactionStore);
  let state;
  try {
    ({ state } = await client.readSigninResponseState(callbackUrl, true));
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
  if (!state.code_verifier) {
    throw new CozeAuthError('missing_verifier', 'The pending sign-in has no PKCE verifier; start again.');
  }
  const data = (state.data ?? {}) as TransactionData;
  return {
    codeVerifier: state.code_verifier,
    redirectUri: state.redirect_uri,
    returnTo: typeof data.returnTo === 'string' ? data.returnTo : undefined,
  };
}
