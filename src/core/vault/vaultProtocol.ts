/**
 * The messages between a page and the token vault worker, in one place: the page side
 * (`vaultClient.ts`) and the worker (`src/vault/`) both import this module and nothing else of
 * each other. No message in either direction carries a refresh token; that is the vault's point.
 * @packageDocumentation
 */
import type { CozeAuthErrorCode } from '../errors.js';

/**
 * Bumped on any incompatible change. A vault kept alive across a deploy (`extendedLifetime`) may
 * meet pages of a newer build: the version is part of the worker's name, so they get a new vault
 * instead of one that misreads them, and `connect` checks it again.
 */
export const VAULT_PROTOCOL_VERSION = 1;

/**
 * The name the page gives the SharedWorker; tabs share a vault only when URL and name match. The
 * token endpoint is part of it because the first page fixes a vault's endpoint: a release (or a
 * page) that talks to Coze through another API base must get a vault of its own, not a refusal.
 */
export function vaultWorkerName(clientId: string, tokenEndpoint: string): string {
  return `react-coze-auth-vault/v${VAULT_PROTOCOL_VERSION}/${clientId}/${normalizedEndpoint(tokenEndpoint)}`;
}

// The vault compares endpoints after the same normalisation (tokenEndpointPolicy), so spellings
// it would accept as one endpoint also name one vault.
function normalizedEndpoint(tokenEndpoint: string): string {
  try {
    return new URL(tokenEndpoint).href;
  } catch {
    // The vault refuses it at connect, which tells the page why; the name need not.
    return tokenEndpoint;
  }
}

/**
 * The channel on which vaults of one client id hear each other's sign-out. Vaults of another
 * script URL, protocol version or token endpoint are other workers with other refresh tokens, yet
 * the same user of the same app: a logout in any tab must end all of them. Hence no version in the
 * name, and a notice that must stay readable by every version (see {@link SignOutNotice}).
 */
export function vaultSignOutChannelName(clientId: string): string {
  return `react-coze-auth-vault-signout/${clientId}`;
}

/**
 * Posted by a vault whose page signed out. It carries no secret (a page of the origin can listen)
 * and no version: vaults of older and newer releases read it, so it may gain fields but never
 * change these.
 */
export interface SignOutNotice {
  type: 'signed-out';
  clientId: string;
}

/** An error as it crosses to the page: a stable code and a message that never holds a secret. */
export interface VaultError {
  code: CozeAuthErrorCode;
  message: string;
}

/**
 * What the page may know about the current sign-in. Expiry is passed on as Coze stated it (the
 * page's session turns it into a moment on its own clock, with its clock rule), together with
 * when the vault received it.
 */
export interface VaultTokens {
  accessToken: string;
  tokenType: string;
  /** Random id of this sign-in, stable across refreshes. */
  sessionId: string;
  /** 0 after the code exchange, +1 per refresh: which refresh token the vault holds. */
  rotation: number;
  /** When the vault received this access token, epoch ms on the browser's clock. */
  obtainedAt: number;
  /** When the sign-in happened, epoch ms. */
  signedInAt: number;
  /** `expires_in` as an absolute time on Coze's clock, epoch ms, when Coze sent a timestamp. */
  cozeExpiresAt: number | undefined;
  /** `expires_in` as a lifetime, ms, when Coze sent a relative value. */
  lifetimeMs: number | undefined;
  /** False when Coze sent no refresh token: the session ends at expiry. */
  canRefresh: boolean;
}

/** Why the vault holds no sign-in. */
export type VaultSignedOutReason = 'never-signed-in' | 'logout' | 'refresh-rejected';

export type VaultState =
  | { status: 'signed-in'; tokens: VaultTokens }
  | { status: 'signed-out'; reason: VaultSignedOutReason; error: VaultError | undefined };

// ── page → vault ──────────────────────────────────────────────────────────

/** Binds this port to the vault; the first `connect` of all fixes the client id and token endpoint. */
export interface ConnectRequest {
  type: 'connect';
  id: number;
  version: number;
  clientId: string;
  /** Absolute https URL (http only on localhost / 127.0.0.1); the only URL the vault posts to. */
  tokenEndpoint: string;
}

/** The code exchange of a sign-in callback; the vault keeps the refresh token of the answer. */
export interface ExchangeCodeRequest {
  type: 'exchange-code';
  id: number;
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

/**
 * "My tokens are `rotation` of `sessionId`; I need newer ones." Answered from the vault's state
 * when it already holds newer (or other) tokens, else by one refresh request shared by every asker.
 */
export interface RefreshRequest {
  type: 'refresh';
  id: number;
  sessionId: string;
  rotation: number;
}

/** Drops the refresh token; every connected page hears `signed-out`. */
export interface SignOutRequest {
  type: 'sign-out';
  id: number;
}

/** The page is going away; the vault stops posting to this port. */
export interface DisconnectNotice {
  type: 'disconnect';
}

export type VaultRequest = ConnectRequest | ExchangeCodeRequest | RefreshRequest | SignOutRequest;
export type PageToVaultMessage = VaultRequest | DisconnectNotice;

// ── vault → page ──────────────────────────────────────────────────────────

/** The answer to one request, matched by `id`. */
export type VaultReply =
  | { type: 'reply'; id: number; ok: true; state: VaultState }
  | { type: 'reply'; id: number; ok: false; error: VaultError };

/**
 * Pushed to every connected port whenever the state changes. A port hears none before the vault
 * accepted its `connect` (whose reply carries the state): a page the vault refused must not show
 * a sign-in it cannot refresh or end.
 */
export interface VaultStateMessage {
  type: 'state';
  state: VaultState;
}

/**
 * A refresh failed transiently (network, 5xx): the refresh token is kept and the pages' backoff
 * decides when to ask again. Pushed to every port so that all tabs back off together.
 */
export interface VaultRefreshFailedMessage {
  type: 'refresh-failed';
  sessionId: string;
  rotation: number;
  error: VaultError;
}

export type VaultToPageMessage = VaultReply | VaultStateMessage | VaultRefreshFailedMessage;

// ── reading untrusted messages ────────────────────────────────────────────

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isText = (value: unknown, max = 8192): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

const isRequestId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The request id of a message, when it has a usable one (to answer even a malformed request). */
export function requestIdOf(data: unknown): number | undefined {
  return isRecord(data) && isRequestId(data.id) ? data.id : undefined;
}

/**
 * Reads a message a page posted, field by field, into a fresh object (so nothing else the
 * sender put on it travels on). Anything that is not exactly a known message is `undefined`.
 */
export function parsePageMessage(data: unknown): PageToVaultMessage | undefined {
  if (!isRecord(data)) return undefined;
  if (data.type === 'disconnect') return { type: 'disconnect' };
  if (!isRequestId(data.id)) return undefined;
  const id = data.id;
  switch (data.type) {
    case 'connect':
      if (!Number.isSafeInteger(data.version) || !isText(data.clientId, 512) || !isText(data.tokenEndpoint, 2048)) return undefined;
      return { type: 'connect', id, version: data.version as number, clientId: data.clientId, tokenEndpoint: data.tokenEndpoint };
    case 'exchange-code':
      if (!isText(data.code) || !isText(data.codeVerifier) || !isText(data.redirectUri, 2048)) return undefined;
      return { type: 'exchange-code', id, code: data.code, codeVerifier: data.codeVerifier, redirectUri: data.redirectUri };
    case 'refresh':
      if (!isText(data.sessionId, 512) || !Number.isSafeInteger(data.rotation) || (data.rotation as number) < 0) return undefined;
      return { type: 'refresh', id, sessionId: data.sessionId, rotation: data.rotation as number };
    case 'sign-out':
      return { type: 'sign-out', id };
    default:
      return undefined;
  }
}

/** Reads a notice heard on the sign-out channel; anything else is `undefined`. */
export function parseSignOutNotice(data: unknown): SignOutNotice | undefined {
  if (!isRecord(data) || data.type !== 'signed-out' || !isText(data.clientId, 512)) return undefined;
  return { type: 'signed-out', clientId: data.clientId };
}
