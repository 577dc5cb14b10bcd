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
}

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
    typeof v.sessionId === 'string'
  );
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
    this.key = `coze-auth.tokens.${clientId}`;
  }

  get sharedAcrossTabs(): boolean {
    return this.#adapter.sharedAcrossTabs === true;
  }

  /** The stored tokens, or undefined. A corrupt record is removed rather than trusted. */
  read(): StoredTokens | undefined {
    let raw: string | null;
    try {
      raw = this.#adapter.getItem(this.key);
    } catch {
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

  write(tokens: StoredTokens): void {
    this.#adapter.setItem(this.key, JSON.stringify(tokens));
  }

  clear(): void {
    try {
      this.#adapter.removeItem(this.key);
    } catch {
      // A storage that cannot delete still gets signed out in memory.
    }
  }
}
