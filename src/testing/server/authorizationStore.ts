import type { PkceMethod } from './pkce.js';
import { randomId } from './randomId.js';

/** A validated authorize request: everything a code is bound to. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: PkceMethod;
  readonly userId: string;
  readonly workspaceId?: string;
}

/** An issued authorization code and what happened to it. */
export interface AuthorizationCode extends AuthorizationRequest {
  readonly expiresAt: number;
  /** Set by the first exchange attempt: codes are single use. */
  used: boolean;
  /** The sign-in the code produced, revoked if the code is replayed (RFC 6749 §4.1.2). */
  familyId?: string;
}

// How long the consent page may stay open before its decision is refused.
const PENDING_TTL_MS = 10 * 60 * 1000;

/**
 * Authorize requests waiting for the user's decision, and the codes issued for approved ones.
 * The consent form carries only the pending id, so the decision cannot alter the request.
 */
export class AuthorizationStore {
  readonly #pending = new Map<string, { request: AuthorizationRequest; expiresAt: number }>();
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #now: () => number;
  readonly #codeTtlMs: number;

  constructor(now: () => number, codeTtlSeconds: number) {
    this.#now = now;
    this.#codeTtlMs = codeTtlSeconds * 1000;
  }

  /** Parks a validated request until the user decides; returns its id. */
  createPending(request: AuthorizationRequest): string {
    const id = randomId('req_', 16);
    this.#pending.set(id, { request, expiresAt: this.#now() + PENDING_TTL_MS });
    return id;
  }

  /** Removes and returns a pending request: a decision can be submitted once. */
  takePending(id: string): AuthorizationRequest | undefined {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    if (!pending || pending.expiresAt <= this.#now()) return undefined;
    return pending.request;
  }

  issueCode(request: AuthorizationRequest): string {
    const code = randomId('code_');
    this.#codes.set(code, { ...request, expiresAt: this.#now() + this.#codeTtlMs, used: false });
    return code;
  }

  /** Codes are kept after use so that a replay can be recognised (and punished). */
  findCode(code: string): AuthorizationCode | undefined {
    return this.#codes.get(code);
  }

  isExpired(code: AuthorizationCode): boolean {
    return code.expiresAt <= this.#now();
  }

  clear(): void {
    this.#pending.clear();
    this.#codes.clear();
  }
}
