import type { StoredTokens } from '../storage/tokenStore.js';

/** Never refresh earlier than this share of a token's lifetime before expiry. */
const MAX_SKEW_SHARE_OF_LIFETIME = 0.25;
const RETRY_BASE_DELAY_MS = 1000;
const RETRY_MAX_DELAY_MS = 30_000;
/** setTimeout overflows past 2^31-1 ms (~24.8 days) and would fire at once. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * How long before expiry to refresh. A fixed skew larger than a short token's lifetime would
 * refresh in a loop, so the skew is capped at a quarter of the lifetime.
 */
export function refreshSkewMs(tokens: StoredTokens, configuredSkewSeconds: number): number {
  const lifetime = Math.max(0, tokens.expiresAt - tokens.obtainedAt);
  return Math.min(configuredSkewSeconds * 1000, lifetime * MAX_SKEW_SHARE_OF_LIFETIME);
}

/** The moment a proactive refresh is due, epoch ms. */
export function refreshDueAt(tokens: StoredTokens, configuredSkewSeconds: number): number {
  return tokens.expiresAt - refreshSkewMs(tokens, configuredSkewSeconds);
}

/** Exponential backoff with ±20% jitter so many tabs or clients do not retry in lockstep. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** attempt);
  return Math.round(base * (0.8 + random() * 0.4));
}
