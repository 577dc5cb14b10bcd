import { CozeAuthError } from '../errors.js';

/**
 * A validated token response. Expiry is left as Coze stated it: turning it into a moment on this
 * browser's clock is the session's job (see `expiryEstimator.ts`), because Coze's clock is not ours.
 */
export interface TokenResponse {
  accessToken: string;
  /** Absent when Coze sends none; after a refresh the session keeps the previous one (RFC 6749 §6). */
  refreshToken: string | undefined;
  /** `expires_in` as an absolute time on Coze's clock, epoch ms; undefined when it was relative or absent. */
  cozeExpiresAt: number | undefined;
  /** `expires_in` as a lifetime, ms, when Coze sent a relative value (RFC 6749 style). */
  lifetimeMs: number | undefined;
  tokenType: string;
  /**
   * When the answer arrived, epoch ms on the session's clock; set by the token client. An answer
   * to the early code exchange may be read much later (a slow chunk): its lifetime starts here.
   */
  receivedAt?: number;
}

// Coze sends `expires_in` as an absolute Unix timestamp in seconds. A value this small can only be
// a relative lifetime (RFC 6749 style); anything above is a timestamp (10^9 s is the year 2001).
const SMALLEST_ABSOLUTE_TIMESTAMP = 1e9;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Validates a 2xx token body field by field. A missing or malformed `access_token`,
 * `refresh_token` or `token_type` is an `invalid_token_response`; the body itself is never put
 * into the error, it holds secrets. A missing or unusable `expires_in` is not fatal: the tokens
 * (and a rotated refresh token, already spent on Coze's side) are kept and the expiry estimated.
 */
export function parseTokenBody(body: unknown, logid?: string): TokenResponse {
  const invalid = (what: string) =>
    new CozeAuthError('invalid_token_response', `Coze's token response ${what}.`, { logid });
  if (!isRecord(body)) throw invalid('is not a JSON object');
  const { access_token, refresh_token, expires_in, token_type } = body;
  if (!nonEmptyString(access_token)) throw invalid('has no access_token');
  if (refresh_token !== undefined && refresh_token !== null && !nonEmptyString(refresh_token)) {
    throw invalid('has a malformed refresh_token');
  }
  if (token_type !== undefined && typeof token_type !== 'string') throw invalid('has a malformed token_type');
  if (token_type !== undefined && token_type.toLowerCase() !== 'bearer') {
    throw invalid(`uses an unsupported token_type`);
  }
  const expiresIn = typeof expires_in === 'string' ? Number(expires_in) : expires_in;
  const usable = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0;
  return {
    accessToken: access_token,
    refreshToken: nonEmptyString(refresh_token) ? refresh_token : undefined,
    cozeExpiresAt: usable && expiresIn >= SMALLEST_ABSOLUTE_TIMESTAMP ? expiresIn * 1000 : undefined,
    lifetimeMs: usable && expiresIn < SMALLEST_ABSOLUTE_TIMESTAMP ? expiresIn * 1000 : undefined,
    tokenType: 'Bearer',
  };
}
