import { CozeAuthError } from '../errors.js';

/** A validated token response, with expiry normalised to epoch milliseconds. */
export interface TokenResponse {
  accessToken: string;
  /** Absent when Coze issues no refresh token: the session then ends at expiry. */
  refreshToken: string | undefined;
  /** When the access token stops working, epoch milliseconds. */
  expiresAt: number;
  tokenType: string;
}

// Coze sends `expires_in` as an absolute Unix timestamp in seconds. A value this small can only be
// a relative lifetime (RFC 6749 style); anything above is a timestamp (10^9 s is the year 2001).
const SMALLEST_ABSOLUTE_TIMESTAMP = 1e9;

/** Converts Coze's `expires_in` (absolute seconds, or a relative lifetime) to epoch milliseconds. */
export function expiresInToEpochMs(expiresIn: number, nowMs: number): number {
  return expiresIn >= SMALLEST_ABSOLUTE_TIMESTAMP ? expiresIn * 1000 : nowMs + expiresIn * 1000;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Validates a 2xx token body field by field. Anything missing or of the wrong type is an
 * `invalid_token_response`; the body itself is never put into the error, it holds secrets.
 */
export function parseTokenBody(body: unknown, nowMs: number, logid?: string): TokenResponse {
  const invalid = (what: string) =>
    new CozeAuthError('invalid_token_response', `Coze's token response ${what}.`, { logid });
  if (!isRecord(body)) throw invalid('is not a JSON object');
  const { access_token, refresh_token, expires_in, token_type } = body;
  if (!nonEmptyString(access_token)) throw invalid('has no access_token');
  const expiresIn = typeof expires_in === 'string' ? Number(expires_in) : expires_in;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw invalid('has no valid expires_in');
  }
  if (refresh_token !== undefined && refresh_token !== null && !nonEmptyString(refresh_token)) {
    throw invalid('has a malformed refresh_token');
  }
  if (token_type !== undefined && typeof token_type !== 'string') throw invalid('has a malformed token_type');
  if (token_type !== undefined && token_type.toLowerCase() !== 'bearer') {
    throw invalid(`uses an unsupported token_type`);
  }
  return {
    accessToken: access_token,
    refreshToken: nonEmptyString(refresh_token) ? refresh_token : undefined,
    expiresAt: expiresInToEpochMs(expiresIn, nowMs),
    tokenType: 'Bearer',
  };
}
