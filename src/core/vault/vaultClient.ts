/**
 * The page's side of the token vault: requests with ids and timeouts, typed errors, and the
 * vault's pushes (new tokens, sign-out, a failed refresh) for subscribers. It never sees a
 * refresh token; the vault worker (`src/vault/`) keeps it.
 * @packageDocumentation
 */
import { systemClock, type Clock } from '../clock.js';
import { CozeAuthError, type CozeAuthErrorCode } from '../errors.js';
import type { AuthorizationCodeGrant } from '../protocol/tokenClient.js';
import { openVaultWorker, type VaultEndpoint } from './openVaultWorker.js';
import {
  VAULT_PROTOCOL_VERSION,
  vaultWorkerName,
  type VaultError,
  type VaultRequest,
  type VaultState,
  type VaultToPageMessage,
  type VaultTokens,
} from './vaultProtocol.js';

export interface VaultClientOptions {
  /** The OAuth app's client id; one vault per client id and token endpoint. */
  clientId: string;
  /** Coze's token endpoint (`ResolvedCozeConfig.tokenEndpoint`); the only URL the vault posts to. */
  tokenEndpoint: string;
  /**
   * URL of the vault worker script, for apps whose bundler does not copy
   * `react-coze-auth/dist/vault/vaultWorker.js` on its own (esbuild, plain script tags): serve
   * that file from your origin and name it here. Every tab must use the same URL. Default: the
   * package's file, resolved by the bundler.
   */
  workerUrl?: string | URL;
  /** Opens the vault's port; tests pass a fake. Default: a SharedWorker (a dedicated Worker where missing). */
  openWorker?: (name: string, workerUrl: string | URL | undefined) => VaultEndpoint;
  /**
   * A request the vault leaves unanswered this long fails with `network_error` (transient).
   * Default 45 s: longer than the vault's own 30 s token request timeout, so that one is reported first.
   */
  timeoutMs?: number;
  /** Timers for the timeouts. Default: the real ones. */
  clock?: Clock;
}

/** What the vault pushes to every page. */
export type VaultEvent =
  | { type: 'state'; state: VaultState }
  /** A refresh failed transiently; the refresh token is kept. All tabs should back off together. */
  | { type: 'refresh-failed'; sessionId: string; rotation: number; error: CozeAuthError };

export interface VaultClient {
  /** Resolves the vault's state once it accepted this page (`invalid_config` when it refused it). */
  readonly ready: Promise<VaultState>;
  /** The vault's state as last heard; `undefined` until it first spoke. */
  readonly state: VaultState | undefined;
  /** Exchanges a callback's code in the vault; resolves the new sign-in's page-safe tokens. */
  exchangeCode(grant: AuthorizationCodeGrant): Promise<VaultTokens>;
  /**
   * Asks for tokens newer than `rotation` of `sessionId`. The vault answers from what it holds
   * when that is newer (or another sign-in), else with one refresh request shared by every tab.
   * Rejects with the reason when the vault holds no sign-in (`login_required`, or the
   * `invalid_grant` that ended it) and with the refresh's error when it failed.
   */
  refresh(sessionId: string, rotation: number): Promise<VaultTokens>;
  /** Drops the refresh token in the vault; every tab hears `signed-out`. */
  signOut(): Promise<void>;
  /** Calls `listener` on every push of the vault; returns the unsubscribe function. */
  subscribe(listener: (event: VaultEvent) => void): () => void;
  /** Tells the vault this page is gone and rejects what is still pending. */
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 45_000;

const KNOWN_CODES: ReadonlySet<string> = new Set<CozeAuthErrorCode>([
  'invalid_config', 'invalid_callback_url', 'state_mismatch', 'missing_verifier', 'access_denied', 'authorization_error',
  'invalid_grant', 'session_expired', 'login_required', 'invalid_token_response', 'server_error', 'network_error',
  'unsafe_return_to', 'crypto_unavailable', 'storage_unavailable',
]);

function toCozeAuthError(error: VaultError | undefined): CozeAuthError {
  const code = error && KNOWN_CODES.has(error.code) ? error.code : 'network_error';
  return new CozeAuthError(code, typeof error?.message === 'string' ? error.message : 'The token vault failed.');
}

function tokensOf(state: VaultState): VaultTokens {
  if (state.status === 'signed-in') return state.tokens;
  throw state.error ? toCozeAuthError(state.error) : new CozeAuthError('login_required', 'Not signed in to Coze.');
}

/** Same sign-in, same rotation, same access token: a repeat that listeners need not hear. */
function sameState(a: VaultState | undefined, b: VaultState): boolean {
  if (!a || a.status !== b.status) return false;
  if (a.status === 'signed-out' || b.status === 'signed-out') return a.status === 'signed-out' && b.status === 'signed-out' && a.reason === b.reason;
  return a.tokens.sessionId === b.tokens.sessionId && a.tokens.rotation === b.tokens.rotation && a.tokens.accessToken === b.tokens.accessToken;
}

interface Pending {
  resolve(state: VaultState): void;
  reject(error: CozeAuthError): void;
}

type RequestBody = VaultRequest extends infer R ? (R extends VaultRequest ? Omit<R, 'id'> : never) : never;

/** Connects this page to the token vault of `clientId`. */
export function createVaultClient(options: VaultClientOptions): VaultClient {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const listeners = new Set<(event: VaultEvent) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let state: VaultState | undefined;
  let closed = false;

  const endpoint = (options.openWorker ?? openVaultWorker)(vaultWorkerName(options.clientId, options.tokenEndpoint), options.workerUrl);

  function emit(event: VaultEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A subscriber's bug must not stop the others from hearing the vault.
        (globalThis as { reportError?: (error: unknown) => void }).reportError?.(error);
      }
    }
  }

  function learn(next: VaultState): void {
    if (sameState(state, next)) return;
    state = next;
    emit({ type: 'state', state: next });
  }

  function failAll(error: CozeAuthError): void {
    for (const request of [...pending.values()]) request.reject(error);
  }

  endpoint.onmessage = ({ data }) => {
    const message = data as VaultToPageMessage | null;
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'state') learn(message.state);
    else if (message.type === 'refresh-failed') {
      emit({ type: 'refresh-failed', sessionId: message.sessionId, rotation: message.rotation, error: toCozeAuthError(message.error) });
    } else if (message.type === 'reply') {
      const request = pending.get(message.id);
      if (!request) return;
      if (message.ok) {
        learn(message.state);
        request.resolve(message.state);
      } else request.reject(toCozeAuthError(message.error));
    }
  };
  endpoint.onerror = () => {
    failAll(new CozeAuthError('storage_unavailable', 'The Coze token vault worker could not start or stopped (check its script URL).'));
  };

  function send(body: RequestBody): Promise<VaultState> {
    if (closed) return Promise.reject(new CozeAuthError('network_error', 'The token vault connection is closed.'));
    const id = nextId++;
    return new Promise<VaultState>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        settle();
        reject(new CozeAuthError('network_error', 'The Coze token vault did not answer in time.'));
      }, timeoutMs);
      const settle = () => {
        clock.clearTimeout(timer);
        pending.delete(id);
      };
      pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      endpoint.postMessage({ ...body, id } as VaultRequest);
    });
  }

  // Sent first: the port delivers in order, so every later request reaches a connected vault.
  const ready = send({ type: 'connect', version: VAULT_PROTOCOL_VERSION, clientId: options.clientId, tokenEndpoint: options.tokenEndpoint });
  // A page that never awaits `ready` must not see an unhandled rejection; its requests fail too.
  ready.catch(() => undefined);

  return {
    ready,
    get state() {
      return state;
    },
    exchangeCode: (grant) =>
      send({ type: 'exchange-code', code: grant.code, codeVerifier: grant.codeVerifier, redirectUri: grant.redirectUri }).then(tokensOf),
    refresh: (sessionId, rotation) => send({ type: 'refresh', sessionId, rotation }).then(tokensOf),
    signOut: () => send({ type: 'sign-out' }).then(() => undefined),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      failAll(new CozeAuthError('network_error', 'The token vault connection is closed.'));
      endpoint.postMessage({ type: 'disconnect' });
      endpoint.close();
    },
  };
}
