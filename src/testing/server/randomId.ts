import { base64url } from './base64url.js';

/**
 * An unguessable id (codes, tokens, pending consent requests). Web Crypto rather than
 * `node:crypto` so the model also runs in a browser (MSW service worker setups).
 */
export function randomId(prefix: string, bytes = 32): string {
  return prefix + base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * A Coze-style log id for the `x-tt-logid` header: UTC `yyyyMMddHHmmss` then 20 random hex
 * digits, all hex characters like the real ones, so support-facing code can treat it as opaque hex.
 */
export function randomLogId(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/\D/g, '').slice(0, 14);
  const random = Array.from(crypto.getRandomValues(new Uint8Array(10)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
  return (stamp + random).toUpperCase();
}
