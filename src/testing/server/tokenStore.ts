import { randomId } from './randomId.js';
import type { CozeTokenResponse, TokenLifetimes } from './types.js';

/** Who a token speaks for. */
export interface TokenGrant {
  readonly clientId: string;
  readonly userId: string;
  readonly workspaceId?: string;
}

/** One sign-in: every access and refresh token descended from one code (or `issueTokens`). */
interface TokenFamily extends TokenGrant {
  readonly id: string;
  revoked: boolean;
}

interface IssuedToken {
  readonly familyId: string;
  readonly expiresAt: number;
}

interface IssuedRefreshToken extends IssuedToken {
  spent: boolean;
}

/** Outcome of a refresh: new tokens, or why the refresh token is refused. */
export type RefreshResult =
  | { ok: true; body: CozeTokenResponse }
  | { ok: false; reason: string };

/** Access and refresh tokens, grouped in families so that one sign-in can be revoked whole. */
export class TokenStore {
  readonly #families = new Map<string, TokenFamily>();
  readonly #access = new Map<string, IssuedToken>();
  readonly #refresh = new Map<string, IssuedRefreshToken>();
  readonly #now: () => number;
  lifetimes: TokenLifetimes;

  constructor(now: () => number, lifetimes: TokenLifetimes) {
    this.#now = now;
    this.lifetimes = lifetimes;
  }

  /** Starts a new sign-in and returns its id and first token response. */
  issue(grant: TokenGrant): { familyId: string; body: CozeTokenResponse } {
    const family: TokenFamily = { ...grant, id: randomId('fam_', 12), revoked: false };
    this.#families.set(family.id, family);
    return { familyId: family.id, body: this.#mint(family.id) };
  }

  /** The grant behind a live access token; undefined when unknown, expired or revoked. */
  authenticate(accessToken: string): TokenGrant | undefined {
    const token = this.#access.get(accessToken);
    const family = token && this.#families.get(token.familyId);
    if (!token || !family || family.revoked || token.expiresAt <= this.#now()) return undefined;
    return family;
  }

  /**
   * Rotates a refresh token: the old one is spent, a new pair is issued. Presenting a spent
   * token means two parties hold it, so the whole family is revoked (OAuth 2.1 §4.3.1).
   */
  refresh(refreshToken: string, clientId: string): RefreshResult {
    const token = this.#refresh.get(refreshToken);
    const family = token && this.#families.get(token.familyId);
    if (!token || !family) return { ok: false, reason: 'refresh_token is invalid' };
    if (family.clientId !== clientId) return { ok: false, reason: 'refresh_token was issued to another client' };
    if (token.spent) {
      family.revoked = true;
      return { ok: false, reason: 'refresh_token has already been used; the session is revoked' };
    }
    if (family.revoked) return { ok: false, reason: 'refresh_token has been revoked' };
    if (token.expiresAt <= this.#now()) return { ok: false, reason: 'refresh_token has expired' };
    token.spent = true;
    return { ok: true, body: this.#mint(family.id) };
  }

  revokeFamily(familyId: string): void {
    const family = this.#families.get(familyId);
    if (family) family.revoked = true;
  }

  /** Revokes the family of an access or refresh token; false when the token is unknown. */
  revokeByToken(token: string): boolean {
    const familyId = (this.#access.get(token) ?? this.#refresh.get(token))?.familyId;
    if (familyId === undefined) return false;
    this.revokeFamily(familyId);
    return true;
  }

  revokeAll(): void {
    for (const family of this.#families.values()) family.revoked = true;
  }

  clear(): void {
    this.#families.clear();
    this.#access.clear();
    this.#refresh.clear();
  }

  #mint(familyId: string): CozeTokenResponse {
    const now = this.#now();
    const accessToken = randomId('at_');
    const refreshToken = randomId('rt_');
    const accessExpiresAt = now + this.lifetimes.accessTokenTtlSeconds * 1000;
    this.#access.set(accessToken, { familyId, expiresAt: accessExpiresAt });
    this.#refresh.set(refreshToken, {
      familyId,
      expiresAt: now + this.lifetimes.refreshTokenTtlSeconds * 1000,
      spent: false,
    });
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      // Coze sends the expiry instant in Unix seconds, not a lifetime. Rounded down so that a
      // client comparing it with its own clock never thinks the token lives longer than it does.
      expires_in: Math.floor(accessExpiresAt / 1000),
      token_type: 'Bearer',
    };
  }
}
