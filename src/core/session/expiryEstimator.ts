import type { TokenResponse } from '../protocol/tokenResponse.js';
import type { StoredTokens } from '../storage/tokenStore.js';

/**
 * Turns Coze's `expires_in` (an absolute time on Coze's clock) into a moment on this browser's
 * clock, without trusting the browser's clock to agree with Coze's.
 *
 * The rule:
 * 1. `implied = cozeExpiresAt − learnedOffset − now`. When it is between {@link MIN_PLAUSIBLE_LIFETIME_MS}
 *    and {@link MAX_PLAUSIBLE_LIFETIME_MS} it is the lifetime.
 * 2. Otherwise the clocks disagree: the lifetime is the one Coze issued last time (or
 *    {@link DEFAULT_LIFETIME_MS}, the only lifetime Coze documents), and the offset that makes
 *    the two agree is learned for the next token.
 * 3. A 401 for a token this browser still thought valid re-learns the offset from it
 *    (`cozeExpiresAt − now`) — when the clocks are already in doubt (rule 2 applied, or the
 *    lifetime looked longer than {@link DEFAULT_LIFETIME_MS}) or the 401 came in the token's
 *    second half. A stray 401 early in a normal token's life (revocation, Coze's propagation
 *    delays) says nothing about clocks and teaches nothing: it must not shorten every later token.
 * A relative `expires_in` involves no clock and is taken as is; a missing one is estimated as in 2.
 */
export const DEFAULT_LIFETIME_MS = 15 * 60_000;
/** Shorter than this is a clock problem, not a token lifetime. */
export const MIN_PLAUSIBLE_LIFETIME_MS = 1_000;
/** Longer than this is a clock problem too (Coze's access tokens live minutes to hours). */
export const MAX_PLAUSIBLE_LIFETIME_MS = 24 * 3_600_000;

export class ExpiryEstimator {
  /** Coze's clock minus this browser's, as learned; 0 until a token says otherwise. */
  #offsetMs = 0;
  #lastLifetimeMs: number | undefined;
  /** True once something suggested the clocks disagree. */
  #clockInDoubt = false;

  /** Picks up what a stored (or another tab's) token tells about the clocks. */
  learnFrom(tokens: StoredTokens): void {
    this.#lastLifetimeMs = tokens.expiresAt - tokens.obtainedAt;
    if (tokens.cozeExpiresAt === undefined) return;
    this.#offsetMs = tokens.cozeExpiresAt - tokens.expiresAt;
    if (Math.abs(this.#offsetMs) > MIN_PLAUSIBLE_LIFETIME_MS || this.#lastLifetimeMs > DEFAULT_LIFETIME_MS) this.#clockInDoubt = true;
  }

  /** This browser's epoch ms at which `response`'s access token should be treated as expired. */
  localExpiresAt(response: TokenResponse, now: number): number {
    let lifetime = response.lifetimeMs;
    if (lifetime === undefined && response.cozeExpiresAt !== undefined) {
      const implied = response.cozeExpiresAt - this.#offsetMs - now;
      if (implied >= MIN_PLAUSIBLE_LIFETIME_MS && implied <= MAX_PLAUSIBLE_LIFETIME_MS) {
        lifetime = implied;
        if (implied > DEFAULT_LIFETIME_MS) this.#clockInDoubt = true;
      } else {
        this.#clockInDoubt = true;
        lifetime = this.#lastLifetimeMs ?? DEFAULT_LIFETIME_MS;
        this.#offsetMs = response.cozeExpiresAt - now - lifetime;
      }
    }
    lifetime ??= this.#lastLifetimeMs ?? DEFAULT_LIFETIME_MS;
    this.#lastLifetimeMs = lifetime;
    return now + lifetime;
  }

  /** Coze answered 401 for `tokens` at `now`: its clock has passed their expiry. */
  learnFromRejection(tokens: StoredTokens, now: number): void {
    if (tokens.cozeExpiresAt === undefined || now >= tokens.expiresAt) return;
    const lateInLife = now - tokens.obtainedAt >= (tokens.expiresAt - tokens.obtainedAt) / 2;
    if (!this.#clockInDoubt && !lateInLife) return;
    this.#offsetMs = tokens.cozeExpiresAt - now;
    this.#lastLifetimeMs = undefined;
  }
}
