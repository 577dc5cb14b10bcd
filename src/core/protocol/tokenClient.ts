import { systemClock, type Clock } from '../clock.js';
import { CozeAuthError } from '../errors.js';
import { authorizationCodeBody, tokenRequestInit } from './earlyExchange.js';
import { parseTokenBody, type TokenResponse } from './tokenResponse.js';

/** The `fetch` signature the token client needs; inject one for tests or custom transports. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** What the token client needs to know to talk to Coze. */
export interface TokenClientContext {
  tokenEndpoint: string;
  clientId: string;
  fetch?: FetchLike;
  /** Timers for the request timeout. Default: the real ones. */
  clock?: Clock;
  /** A token request unanswered after this long fails with `network_error` (transient). Default 30 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

interface RawAnswer {
  response: Response;
  receivedAt: number;
  body: unknown;
  parsed: boolean;
}

/**
 * Sends the request and reads the body, giving up after the timeout: a connection that is
 * accepted and never answered (captive portals, proxies, mobile networks) must end in a transient
 * `network_error`, not a promise that never settles and holds every caller of the refresh.
 */
function sendWithTimeout(ctx: TokenClientContext, payload: Record<string, string>, sent: SentRequest | undefined): Promise<RawAnswer> {
  const doFetch = ctx.fetch ?? ((input, options) => globalThis.fetch(input, options));
  const clock = ctx.clock ?? systemClock;
  const controller = sent?.controller ?? new AbortController();
  let timer: unknown;
  const timedOut = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => {
      controller.abort();
      reject(new CozeAuthError('network_error', 'The Coze token endpoint did not answer in time.'));
    }, ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  });
  const exchange = (async (): Promise<RawAnswer> => {
    let response: Response;
    try {
      response = await (sent?.response ?? doFetch(ctx.tokenEndpoint, tokenRequestInit(payload, controller.signal)));
    } catch (cause) {
      throw new CozeAuthError('network_error', 'Could not reach the Coze token endpoint.', { cause });
    }
    const receivedAt = sent?.receivedAt ?? clock.now();
    try {
      return { response, receivedAt, body: (await response.json()) as unknown, parsed: true };
    } catch {
      return { response, receivedAt, body: undefined, parsed: false };
    }
  })();
  return Promise.race([exchange, timedOut]).finally(() => clock.clearTimeout(timer));
}

/** A request of exactly this payload that already left (the early code exchange): awaited, not sent again. */
export interface SentRequest {
  readonly response: Promise<Response>;
  readonly controller: AbortController;
  /** When its response arrived (on the session's clock), once it has. */
  readonly receivedAt: number | undefined;
}

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 (body is JSON on Coze) */
export interface AuthorizationCodeGrant {
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

// Statuses that mean "try again later" rather than "this grant is dead".
const TRANSIENT_STATUSES = new Set([408, 425, 429]);

function readLogid(response: Response, body: unknown): string | undefined {
  const header = response.headers.get('x-tt-logid');
  if (header) return header;
  if (typeof body === 'object' && body !== null) {
    const detail = (body as { detail?: { logid?: unknown } }).detail;
    if (typeof detail?.logid === 'string') return detail.logid;
  }
  return undefined;
}

// Coze may echo part of a grant in its message (a prefix, a truncated copy): any run of
// token-like characters sharing this many characters with a secret is hidden, not just exact copies.
const ECHO_WINDOW = 6;

function echoesSecret(word: string, secret: string): boolean {
  if (secret.length < ECHO_WINDOW) return word === secret;
  for (let i = 0; i + ECHO_WINDOW <= word.length; i++) {
    if (secret.includes(word.slice(i, i + ECHO_WINDOW))) return true;
  }
  return false;
}

/** Hides every word of `text` that repeats a piece of a secret. */
export function redact(text: string, secrets: readonly string[]): string {
  return text.replace(/[\w.~+/=-]+/g, (word) =>
    secrets.some((secret) => secret && echoesSecret(word, secret)) ? '[redacted]' : word,
  );
}

interface OAuthErrorBody {
  error: string | undefined;
  message: string | undefined;
}

/** Reads Coze's OAuth error fields (`error_code`/`error`/`error_message`) or its OpenAPI `{code,msg}` shape. */
function readOAuthError(body: unknown): OAuthErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const error = [b.error_code, b.error].find((v): v is string => typeof v === 'string' && v !== '');
  const message = [b.error_message, b.error_description, b.msg].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  const apiCode = typeof b.code === 'number' && b.code !== 0 ? String(b.code) : undefined;
  if (!error && !apiCode) return undefined;
  return { error: error ?? apiCode, message };
}

async function postTokenRequest(
  ctx: TokenClientContext,
  payload: Record<string, string>,
  secrets: readonly string[],
  sent?: SentRequest,
  onRotated?: (refreshToken: string) => void,
): Promise<TokenResponse> {
  const { response, receivedAt, body, parsed } = await sendWithTimeout(ctx, payload, sent);
  const logid = readLogid(response, body);
  const oauthError = parsed ? readOAuthError(body) : undefined;
  const status = response.status;

  if (status >= 500 || TRANSIENT_STATUSES.has(status)) {
    throw new CozeAuthError('server_error', `Coze's token endpoint is unavailable (HTTP ${status}).`, {
      status,
      logid,
      oauthError: oauthError?.error,
    });
  }
  if (!response.ok || oauthError) {
    if (!oauthError) {
      throw new CozeAuthError(
        'invalid_token_response',
        `Coze's token endpoint answered HTTP ${status} without an OAuth error body.`,
        { status, logid },
      );
    }
    const detail = oauthError.message ? `: ${redact(oauthError.message, secrets)}` : '';
    throw new CozeAuthError('invalid_grant', `Coze rejected the grant (${oauthError.error})${detail}`, {
      status,
      logid,
      oauthError: oauthError.error,
    });
  }
  if (!parsed) {
    throw new CozeAuthError('invalid_token_response', `Coze's token response is not JSON.`, { status, logid });
  }
  try {
    return { ...parseTokenBody(body, logid), receivedAt };
  } catch (error) {
    // A success answer we cannot use may still carry the rotated refresh token: the one we sent is
    // spent, so the next attempt must use that one, never the old one again.
    const rotated = (body as { refresh_token?: unknown } | null)?.refresh_token;
    if (typeof rotated === 'string' && rotated && !secrets.includes(rotated)) onRotated?.(rotated);
    throw error;
  }
}

/**
 * Exchanges an authorization code for tokens (`grant_type=authorization_code`, JSON body). With
 * `sent`, that request already left with exactly this grant (earlyExchange.ts): its answer is read instead.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
export function authorizationCodeGrantRequest(
  ctx: TokenClientContext,
  grant: AuthorizationCodeGrant,
  sent?: SentRequest,
): Promise<TokenResponse> {
  return postTokenRequest(ctx, authorizationCodeBody(ctx.clientId, grant), [grant.code, grant.codeVerifier], sent);
}

/**
 * Trades a refresh token for a new token pair (`grant_type=refresh_token`, JSON body, no secret).
 * `onRotated` hears the new refresh token of a success answer that is otherwise unusable (it then
 * rejects with `invalid_token_response`), so a retry spends that one and not the rotated-out one.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshTokenGrantRequest(
  ctx: TokenClientContext,
  refreshToken: string,
  onRotated?: (refreshToken: string) => void,
): Promise<TokenResponse> {
  return postTokenRequest(
    ctx,
    { grant_type: 'refresh_token', client_id: ctx.clientId, refresh_token: refreshToken },
    [refreshToken],
    undefined,
    onRotated,
  );
}
