import type { StoredTokens } from '../storage/tokenStore.js';

/** Never refresh earlier than this share of a token's lifetime before expiry. */
const MAX_SKEW_SHARE_OF_LIFETIME = 0.25;
/** Never refresh sooner than this after the current token was obtained, whatever the clocks say. */
export const MIN_REFRESH_INTERVAL_MS = 1_000;
const RETRY_BASE_DELAY_MS = 1000;
const RETRY_MAX_DELAY_MS = 30_000;
/** setTimeout overflows past 2^31-1 ms (~24.8 days) and would fire at once. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;
/** Timers may fire a hair early; "due within this margin" counts as due, so the run refreshes instead of rescheduling forever. */
export const TIMER_TOLERANCE_MS = 5;

/**
 * How long before expiry to refresh. A fixed skew larger than a short token's lifetime would
 * refresh in a loop, so the skew is capped at a quarter of the lifetime.
 */
export function refreshSkewMs(tokens: StoredTokens, configuredSkewSeconds: number): number {
  const lifetime = Math.max(0, tokens.expiresAt - tokens.obtainedAt);
  return Math.min(configuredSkewSeconds * 1000, lifetime * MAX_SKEW_SHARE_OF_LIFETIME);
}

/**
 * The one due-time rule: when the current tokens need renewing, epoch ms. With a refresh token (here or in the vault),
 * `expiry − skew` but never sooner than {@link MIN_REFRESH_INTERVAL_MS} after they were obtained;
 * without one, the expiry itself (the session then ends).
 */
export function refreshDueAt(tokens: StoredTokens, configuredSkewSeconds: number): number {
  if (!tokens.refreshToken && !tokens.vaultCanRefresh) return tokens.expiresAt;
  return Math.max(tokens.expiresAt - refreshSkewMs(tokens, configuredSkewSeconds), tokens.obtainedAt + MIN_REFRESH_INTERVAL_MS);
}

/** Exponential backoff with ±20% jitter so many tabs or clients do not retry in lockstep. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** attempt);
  return Math.round(base * (0.8 + random() * 0.4));
}
