import { base64url } from './base64url.js';

/** The PKCE transformations Coze accepts. @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2 */
export type PkceMethod = 'S256' | 'plain';

// RFC 7636 §4.1: 43-128 characters from the unreserved set.
const VERIFIER_SYNTAX = /^[A-Za-z0-9\-._~]{43,128}$/;
// A SHA-256 digest is 32 bytes: 43 base64url characters once the padding is dropped.
const S256_CHALLENGE_SYNTAX = /^[A-Za-z0-9\-_]{43}$/;

export function isPkceMethod(value: string): value is PkceMethod {
  return value === 'S256' || value === 'plain';
}

export function isWellFormedVerifier(verifier: string): boolean {
  return VERIFIER_SYNTAX.test(verifier);
}

/** For `plain` the challenge is a verifier, so it obeys the verifier syntax. */
export function isWellFormedChallenge(method: PkceMethod, challenge: string): boolean {
  return method === 'S256' ? S256_CHALLENGE_SYNTAX.test(challenge) : VERIFIER_SYNTAX.test(challenge);
}

/** base64url(SHA-256(ASCII(verifier))), no padding. @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2 */
export async function s256CodeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Does this verifier answer the challenge stored with the code? @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6 */
export async function verifyCodeVerifier(
  method: PkceMethod,
  challenge: string,
  verifier: string,
): Promise<boolean> {
  const expected = method === 'S256' ? await s256CodeChallenge(verifier) : verifier;
  return expected === challenge;
}
