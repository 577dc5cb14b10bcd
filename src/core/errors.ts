/**
 * Every failure the library reports is a {@link CozeAuthError} with a stable `code`.
 * Messages never contain tokens, authorization codes or PKCE verifiers.
 * @packageDocumentation
 */

/**
 * Stable error codes. Apps switch on these; the human-readable message may change.
 *
 * - `invalid_config`: a provider/session option is missing or malformed.
 * - `invalid_callback_url`: the redirect URL cannot be parsed or lacks `code`/`state`.
 * - `state_mismatch`: the callback's `state` matches no pending sign-in (tampered, replayed, or from another tab/browser).
 * - `missing_verifier`: the pending sign-in has no PKCE verifier (storage was altered).
 * - `access_denied`: the user pressed Cancel on Coze's consent page.
 * - `authorization_error`: Coze redirected back with another OAuth `error`.
 * - `invalid_grant`: the token endpoint rejected the code or refresh token (4xx); the grant is dead.
 * - `session_expired`: the access token expired and there is no refresh token to renew it.
 * - `login_required`: a token was requested while signed out.
 * - `invalid_token_response`: the token endpoint answered with something that is not a valid token body.
 * - `server_error`: the token endpoint answered 5xx (or 408/429); transient.
 * - `network_error`: the token endpoint could not be reached; transient.
 * - `unsafe_return_to`: a `returnTo` that is not a same-origin path.
 * - `crypto_unavailable`: Web Crypto is missing (PKCE needs a secure context: https or localhost).
 * - `storage_unavailable`: no storage survives the redirect to Coze (sign-in cannot start), or a
 *   token write failed (reported as a `storage-failed` event; the session goes on in memory).
 */
export type CozeAuthErrorCode =
  | 'invalid_config'
  | 'invalid_callback_url'
  | 'state_mismatch'
  | 'missing_verifier'
  | 'access_denied'
  | 'authorization_error'
  | 'invalid_grant'
  | 'session_expired'
  | 'login_required'
  | 'invalid_token_response'
  | 'server_error'
  | 'network_error'
  | 'unsafe_return_to'
  | 'crypto_unavailable'
  | 'storage_unavailable';

/** Extra, non-secret facts attached to a {@link CozeAuthError}. */
export interface CozeAuthErrorDetails {
  /** HTTP status of the response that caused the error, when there was one. */
  status?: number;
  /** The OAuth error string sent by Coze (`error_code` / `error`), e.g. `invalid_grant`. */
  oauthError?: string;
  /** Coze's request id (`x-tt-logid`): quote it to Coze support. */
  logid?: string;
  /** The underlying error (never a token body). */
  cause?: unknown;
}

/** The one error type thrown and reported by react-coze-auth. */
export class CozeAuthError extends Error {
  override readonly name = 'CozeAuthError';
  /** Stable machine-readable reason. */
  readonly code: CozeAuthErrorCode;
  /** HTTP status, when the error came from a response. */
  readonly status: number | undefined;
  /** OAuth error string from Coze, when it sent one. */
  readonly oauthError: string | undefined;
  /** Coze request id for support tickets. */
  readonly logid: string | undefined;

  constructor(code: CozeAuthErrorCode, message: string, details: CozeAuthErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.oauthError = details.oauthError;
    this.logid = details.logid;
  }

  /** True for failures worth retrying (network, 5xx, rate limiting, a garbled answer); false when the grant is dead. */
  get isTransient(): boolean {
    return this.code === 'server_error' || this.code === 'network_error' || this.code === 'invalid_token_response';
  }
}

/** Type guard for {@link CozeAuthError}, optionally for one code. */
export function isCozeAuthError(value: unknown, code?: CozeAuthErrorCode): value is CozeAuthError {
  return value instanceof CozeAuthError && (code === undefined || value.code === code);
}
