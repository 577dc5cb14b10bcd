import type { TokenStorageAdapter } from './storageAdapters.js';

/** The tokens of one signed-in session, as kept in storage. */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string | undefined;
  /** Access token expiry, epoch ms. */
  expiresAt: number;
  /** When this access token was obtained, epoch ms; with `expiresAt` it gives the lifetime. */
  obtainedAt: number;
  tokenType: string;
  /** Random id of the sign-in, stable across refreshes; namespaces cached queries per session. */
  sessionId: string;
  /** When the sign-in completed, epoch ms: of two sign-ins in shared storage, the later one wins. */
  signedInAt?: number;
  /** How many refreshes this sign-in has had: tells tabs which copy of a rotating refresh token is newest. */
  rotation?: number;
  /** `expires_in` as Coze stated it (its clock), epoch ms; lets a reload keep what was learned about the clock offset. */
  cozeExpiresAt?: number;
  /** `tokenStorage: 'worker'`: the token vault holds a refresh token for these tokens (the page never does). */
  vaultCanRefresh?: boolean;
}

const optionalNumber = (value: unknown) => value === undefined || typeof value === 'number';

function isStoredTokens(value: unknown): value is StoredTokens {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessToken === 'string' &&
    v.accessToken !== '' &&
    (v.refreshToken === undefined || typeof v.refreshToken === 'string') &&
    typeof v.expiresAt === 'number' &&
    typeof v.obtainedAt === 'number' &&
    typeof v.tokenType === 'string' &&
    typeof v.sessionId === 'string' &&
    optionalNumber(v.signedInAt) &&
    optionalNumber(v.rotation) &&
    optionalNumber(v.cozeExpiresAt)
  );
}

/** The storage key of one client's tokens. */
export function tokenStorageKey(clientId: string): string {
  return `coze-auth.tokens.${clientId}`;
}

/**
 * Reads and writes one session's tokens under one key. The whole record is written in one
 * `setItem`, so a rotated refresh token replaces the old one atomically.
 */
export class TokenStore {
  readonly key: string;
  readonly #adapter: TokenStorageAdapter;

  constructor(adapter: TokenStorageAdapter, clientId: string) {
    this.#adapter = adapter;
    this.key = tokenStorageKey(clientId);
  }

  get sharedAcrossTabs(): boolean {
    return this.#adapter.sharedAcrossTabs === true;
  }

  /** True when the last {@link read} could not read storage at all (as opposed to finding nothing). */
  lastReadFailed = false;

  /** The stored tokens, or undefined. A corrupt record is removed rather than trusted. */
  read(): StoredTokens | undefined {
    let raw: string | null;
    try {
      raw = this.#adapter.getItem(this.key);
      this.lastReadFailed = false;
    } catch {
      this.lastReadFailed = true;
      return undefined;
    }
    if (raw === null) return undefined;
    try {
      const value: unknown = JSON.parse(raw);
      if (isStoredTokens(value)) return value;
    } catch {
      // fall through: corrupt JSON is treated like a missing record
    }
    this.clear();
    return undefined;
  }

  /** Writes the record; returns the error instead of throwing (quota, SecurityError, a failing adapter). */
  write(tokens: StoredTokens): unknown {
    try {
      this.#adapter.setItem(this.key, JSON.stringify(tokens));
      return undefined;
    } catch (error) {
      return error ?? new Error('storage write failed');
    }
  }

  /** Removes the record; where removing throws, overwrites it with an empty (unusable) one. */
  clear(): void {
    try {
      this.#adapter.removeItem(this.key);
    } catch {
      try {
        this.#adapter.setItem(this.key, '');
      } catch {
        // Neither works: the session still signs out in memory and ignores this record from now on.
      }
    }
  }
}
