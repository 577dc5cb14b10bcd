import type { ResolvedCozeConfig } from '../config.js';
import { hasPendingTransaction, keepSentSignIn, transactionPrefix, usableTransactionStorage, type SentSignIn } from '../storage/transactionStorage.js';
import { authorizationResponseState } from './callbackUrl.js';
import type { AuthorizationCodeGrant, FetchLike } from './tokenClient.js';

// On its callback page a session sends the code exchange from its constructor, so the request
// overlaps the download of the sign-in code instead of waiting for it (a round trip on a cold
// cache). Eager code, kept to what the request needs; the lazily loaded flow validates and reads
// the answer.

/** The JSON body of an authorization_code grant, as Coze's SDKs send it (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export function authorizationCodeBody(clientId: string, grant: AuthorizationCodeGrant): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    client_id: clientId,
    redirect_uri: grant.redirectUri,
    code: grant.code,
    code_verifier: grant.codeVerifier,
  };
}

/**
 * How every token request goes out: JSON, no cookies, never cached, and never redirected — a
 * 307/308 would re-post the grant (a code, a refresh token) to wherever `Location` points.
 */
export function tokenRequestInit(payload: Record<string, string>, signal: AbortSignal): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(payload),
    credentials: 'omit',
    cache: 'no-store',
    redirect: 'error',
    signal,
  };
}

/**
 * The grant a stored pending sign-in makes with `code`, or undefined when it is not `clientId`'s
 * or has no verifier. The one reading of a record: the early exchange and the sign-in flow
 * (`readAuthorizationTransaction`) both use it, so nothing leaves early that the flow would refuse.
 */
export function grantOf(record: string, clientId: string, code: string, defaultRedirectUri: string): AuthorizationCodeGrant | undefined {
  const pending = JSON.parse(record) as { client_id?: unknown; code_verifier?: unknown; redirect_uri?: unknown } | null;
  if (typeof pending !== 'object' || pending === null || pending.client_id !== clientId) return undefined;
  const { code_verifier: codeVerifier, redirect_uri: redirectUri } = pending;
  if (typeof codeVerifier !== 'string' || !codeVerifier) return undefined;
  return { code, codeVerifier, redirectUri: typeof redirectUri === 'string' ? redirectUri : defaultRedirectUri };
}

/**
 * This page's URL when it is this client's callback (the redirect URI's path, a pending sign-in for
 * its `state`: the state check), else undefined. On recognising it, sends the code exchange once
 * per state: nothing for an error redirect or a record the flow would refuse, and the record leaves
 * storage before the code leaves the page. `fetchImpl: false` recognises without sending.
 */
export function recognizeCallback(
  config: ResolvedCozeConfig,
  transactions: Storage | undefined,
  fetchImpl: FetchLike | undefined | false,
  now: () => number,
): string | undefined {
  const href = globalThis.location?.href;
  const state = href ? authorizationResponseState(href) : null;
  if (!href || !state) return undefined;
  const here = new URL(href);
  const redirect = new URL(config.redirectUri);
  if (here.origin !== redirect.origin || here.pathname !== redirect.pathname) return undefined;
  if (!hasPendingTransaction(transactions, config.clientId, state)) return undefined;
  if (fetchImpl === false) return href;
  try {
    const code = here.searchParams.get('code');
    const storage = transactions ?? usableTransactionStorage();
    const key = transactionPrefix(config.clientId) + state;
    const record = storage?.getItem(key);
    // No record: its exchange left already (StrictMode builds the session twice).
    const grant = code && record && !here.searchParams.has('error') ? grantOf(record, config.clientId, code, config.redirectUri) : undefined;
    if (storage && record && grant) {
      storage.removeItem(key);
      const controller = new AbortController();
      const send = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
      const signIn: SentSignIn = {
        record,
        grant,
        controller,
        receivedAt: undefined,
        // async: a fetch that throws instead of rejecting still ends in this promise, for the flow to report.
        response: (async () => send(config.tokenEndpoint, tokenRequestInit(authorizationCodeBody(config.clientId, grant), controller.signal)))().then(
          (answer) => {
            signIn.receivedAt = now();
            return answer;
          },
        ),
      };
      signIn.response.catch(() => undefined); // the flow reports failures; one nobody takes is not an error
      keepSentSignIn(config.clientId, state, signIn);
    }
  } catch {
    // Unreadable storage or record: the flow exchanges (or reports) as it would without this step.
  }
  return href;
}
