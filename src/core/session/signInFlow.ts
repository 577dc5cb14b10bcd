// The sign-in steps that run only on the login click and on the callback page. CozeSession loads
// this module with import(), so apps do not ship it (or oidc-client-ts) in their initial bundle.
import type { ResolvedCozeConfig } from '../config.js';
import { CozeAuthError } from '../errors.js';
import { createAuthorizationRequest, readAuthorizationTransaction, takeAuthorizationTransaction } from '../protocol/authorizationRequest.js';
import { parseCallbackUrl } from '../protocol/authorizationResponse.js';
import { stripCallbackFromAddressBar } from '../protocol/callbackUrl.js';
import type { AuthorizationCodeGrant, SentRequest } from '../protocol/tokenClient.js';
import type { TokenResponse } from '../protocol/tokenResponse.js';
import { requireSameOriginPath, toSameOriginPath } from '../returnTo.js';
import { takeSentSignIn, usableTransactionStorage } from '../storage/transactionStorage.js';

export { stripCallbackFromAddressBar };
export { randomHex } from '../randomHex.js';

/** Where pending sign-ins wait; without any, sign-in fails before leaving for Coze. */
function resolveTransactionStorage(): Storage {
  const storage = usableTransactionStorage();
  if (!storage) {
    throw new CozeAuthError(
      'storage_unavailable',
      'This browser keeps no storage across the redirect to Coze (sessionStorage and localStorage are blocked), so sign-in cannot start.',
    );
  }
  return storage;
}

function currentOrigin(): string {
  return globalThis.location?.origin ?? 'null';
}

function currentPath(): string {
  const loc = globalThis.location;
  return loc ? `${loc.pathname}${loc.search}${loc.hash}` : '/';
}

/**
 * Builds Coze's authorize URL; the pending sign-in goes to `transactions` (default sessionStorage).
 * `returnTo` defaults to the current page; anything off this origin throws `unsafe_return_to`.
 */
export function startAuthorization(
  config: ResolvedCozeConfig,
  transactions: Storage | undefined,
  returnTo: string | undefined,
): Promise<string> {
  const path = returnTo === undefined ? currentPath() : requireSameOriginPath(returnTo, currentOrigin());
  return createAuthorizationRequest(config, transactions ?? resolveTransactionStorage(), path);
}

/** Drops the pending sign-in of a callback that will not be completed (single use). */
export async function abandonAuthorization(config: ResolvedCozeConfig, transactions: Storage | undefined, callbackUrl: string): Promise<void> {
  const state = new URL(callbackUrl).searchParams.get('state');
  if (state) takeSentSignIn(config.clientId, state)?.controller.abort();
  await takeAuthorizationTransaction(config, transactions ?? resolveTransactionStorage(), callbackUrl).catch(() => undefined);
}

/** A completed authorization: tokens, and the same-origin path chosen at login (`/` if it was altered). */
export interface CompletedAuthorization<R = TokenResponse> {
  response: R;
  returnTo: string;
}

/**
 * Reads the callback URL (throws `invalid_callback_url`), consumes the pending sign-in for its
 * state (checked before anything else), turns an OAuth error redirect into a typed error, and
 * exchanges the code with the PKCE verifier through `exchange` (the token endpoint, or the token
 * vault in worker mode) — handing it the request the session already sent for this state, if any
 * (earlyExchange.ts), whose answer is read instead of sending again.
 */
export async function completeAuthorization<R>(
  config: ResolvedCozeConfig,
  transactions: Storage | undefined,
  exchange: (grant: AuthorizationCodeGrant, sent: SentRequest | undefined) => Promise<R>,
  callbackUrl: string,
): Promise<CompletedAuthorization<R>> {
  const params = parseCallbackUrl(callbackUrl);
  const sent = takeSentSignIn(config.clientId, params.state);
  try {
    const transaction = sent
      ? readAuthorizationTransaction(config, sent.record)
      : await takeAuthorizationTransaction(config, transactions ?? resolveTransactionStorage(), callbackUrl);
    if (params.error) {
      const description = params.errorDescription ? `: ${params.errorDescription}` : '.';
      throw params.error === 'access_denied'
        ? new CozeAuthError('access_denied', `Sign-in was cancelled on Coze${description}`, { oauthError: 'access_denied' })
        : new CozeAuthError('authorization_error', `Coze could not sign you in (${params.error})${description}`, {
            oauthError: params.error,
          });
    }
    const grant = { code: params.code ?? '', codeVerifier: transaction.codeVerifier, redirectUri: transaction.redirectUri };
    // This state's code already left with its grant: that request is the one exchange for it, and
    // a different response for the same state is not sent after it.
    if (sent && (sent.grant.code !== grant.code || sent.grant.codeVerifier !== grant.codeVerifier || sent.grant.redirectUri !== grant.redirectUri)) {
      throw new CozeAuthError('state_mismatch', 'This sign-in response does not match the one already being completed.');
    }
    const response = await exchange(grant, sent);
    // Re-validated: sessionStorage may have been altered during the round trip.
    return { response, returnTo: toSameOriginPath(transaction.returnTo ?? '/', currentOrigin()) ?? '/' };
  } finally {
    sent?.controller.abort(); // answered, or not this sign-in's: nothing waits for it any more
  }
}
