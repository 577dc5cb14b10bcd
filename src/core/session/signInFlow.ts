// The sign-in steps that run only on the login click and on the callback page. CozeSession loads
// this module with import(), so apps do not ship it (or oidc-client-ts) in their initial bundle.
import type { ResolvedCozeConfig } from '../config';
import { CozeAuthError } from '../errors';
import { createAuthorizationRequest, takeAuthorizationTransaction } from '../protocol/authorizationRequest';
import type { CallbackParams } from '../protocol/callbackUrl';
import { authorizationCodeGrantRequest, type TokenClientContext } from '../protocol/tokenClient';
import type { TokenResponse } from '../protocol/tokenResponse';

export { createAuthorizationRequest };

/** A completed authorization: tokens, and the `returnTo` chosen at login (still to be validated). */
export interface CompletedAuthorization {
  response: TokenResponse;
  returnTo: string | undefined;
}

/**
 * Consumes the pending sign-in for the callback's state (checked first, before anything else),
 * turns an OAuth error redirect into a typed error, and exchanges the code with the PKCE verifier.
 */
export async function completeAuthorization(
  config: ResolvedCozeConfig,
  transactions: Storage,
  tokenClient: TokenClientContext,
  callbackUrl: string,
  params: CallbackParams,
): Promise<CompletedAuthorization> {
  const transaction = await takeAuthorizationTransaction(config, transactions, callbackUrl);
  if (params.error) {
    const description = params.errorDescription ? `: ${params.errorDescription}` : '.';
    throw params.error === 'access_denied'
      ? new CozeAuthError('access_denied', `Sign-in was cancelled on Coze${description}`, { oauthError: 'access_denied' })
      : new CozeAuthError('authorization_error', `Coze could not sign you in (${params.error})${description}`, {
          oauthError: params.error,
        });
  }
  const response = await authorizationCodeGrantRequest(tokenClient, {
    code: params.code ?? '',
    codeVerifier: transaction.codeVerifier,
    redirectUri: transaction.redirectUri,
  });
  return { response, returnTo: transaction.returnTo };
}
