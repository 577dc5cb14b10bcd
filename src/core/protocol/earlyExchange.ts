import type { ResolvedCozeConfig } from '../config.js';
import { transactionPrefix } from '../storage/transactionStorage.js';
import type { FetchLike } from './tokenClient.js';

/** A code exchange sent before the sign-in code arrived; the sign-in flow takes it over. */
export interface EarlyExchange {
  readonly code: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly response: Promise<Response>;
  readonly controller: AbortController;
}

/** The JSON body of an authorization_code grant, as Coze's SDKs send it (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export function authorizationCodeBody(clientId: string, grant: { code: string; codeVerifier: string; redirectUri: string }): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    client_id: clientId,
    redirect_uri: grant.redirectUri,
    code: grant.code,
    code_verifier: grant.codeVerifier,
  };
}

/** How every token request goes out: JSON, no cookies, never cached. */
export function tokenRequestInit(payload: Record<string, string>, signal: AbortSignal): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(payload),
    credentials: 'omit',
    cache: 'no-store',
    signal,
  };
}

// One per callback (client + state): StrictMode builds the session twice, and the code is single use.
const sent = new Map<string, EarlyExchange>();

/**
 * On a page recognised as this client's callback (a pending sign-in exists for its `state`, which
 * is the state check), sends the code exchange at once, so it overlaps the download of the sign-in
 * code instead of waiting for it. Nothing is sent for an error redirect or without a stored
 * verifier; anything unexpected leaves the exchange to the sign-in flow, as without this step.
 */
export function sendEarlyExchange(
  config: ResolvedCozeConfig,
  transactions: Storage,
  state: string,
  url: string,
  fetchImpl: FetchLike | undefined,
): void {
  const key = `${config.clientId} ${state}`;
  if (sent.has(key)) return;
  try {
    const code = new URL(url).searchParams.get('code');
    const pending = JSON.parse(transactions.getItem(transactionPrefix(config.clientId) + state) ?? '{}') as {
      code_verifier?: string;
      redirect_uri?: string;
      client_id?: string;
    };
    const { code_verifier: codeVerifier, redirect_uri: redirectUri } = pending;
    if (!code || !codeVerifier || !redirectUri || pending.client_id !== config.clientId) return;
    const controller = new AbortController();
    const send = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    const body = authorizationCodeBody(config.clientId, { code, codeVerifier, redirectUri });
    const response = send(config.tokenEndpoint, tokenRequestInit(body, controller.signal));
    response.catch(() => undefined); // its taker reports failures; an untaken one is not an error
    sent.set(key, { code, codeVerifier, redirectUri, response, controller });
  } catch {
    // No usable pending sign-in here: the flow exchanges (or reports) as usual.
  }
}

/** The early exchange of this callback, once (the flow that takes it consumes it). */
export function takeEarlyExchange(clientId: string, state: string): EarlyExchange | undefined {
  const key = `${clientId} ${state}`;
  const exchange = sent.get(key);
  sent.delete(key);
  return exchange;
}
