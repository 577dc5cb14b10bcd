/** `byteCount` random bytes from Web Crypto's getRandomValues (also on non-secure origins), as hex. */
export function randomHex(byteCount: number): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(byteCount)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
