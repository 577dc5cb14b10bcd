/**
 * The token vault: the one place that holds Coze's refresh token, spends it, and tells every
 * connected page the outcome. It runs in a SharedWorker (see `vaultWorker.ts`) so that no script
 * on any page can read the refresh token, and so that every tab of the app shares one copy of it.
 * Transport-free: it talks to {@link VaultPort}s, which tests fake and the worker glue provides.
 * @packageDocumentation
 */
import { systemClock, type Clock } from '../core/clock.js';
import { CozeAuthError } from '../core/errors.js';
import { authorizationCodeGrantRequest, refreshTokenGrantRequest, type FetchLike, type TokenClientContext } from '../core/protocol/tokenClient.js';
import type { TokenResponse } from '../core/protocol/tokenResponse.js';
import {
  parsePageMessage,
  parseSignOutNotice,
  requestIdOf,
  vaultSignOutChannelName,
  VAULT_PROTOCOL_VERSION,
  type SignOutNotice,
  type ConnectRequest,
  type ExchangeCodeRequest,
  type RefreshRequest,
  type VaultError,
  type VaultState,
  type VaultToPageMessage,
  type VaultTokens,
} from '../core/vault/vaultProtocol.js';
import { checkTokenEndpoint } from './tokenEndpointPolicy.js';

/** One end of a page's channel to the vault: a `MessagePort`, or a dedicated worker's global scope. */
export interface VaultPort {
  postMessage(message: VaultToPageMessage): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/**
 * Where vaults of one client id hear each other's sign-out: a `BroadcastChannel`. Like that one,
 * it must never deliver a post back to the channel that sent it.
 */
export interface SignOutChannel {
  postMessage(message: SignOutNotice): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface VaultOptions {
  /** Transport for the token requests. Default: the worker's `fetch`. */
  fetch?: FetchLike;
  /** Time source and timers (token request timeout). Default: the real ones. */
  clock?: Clock;
  /** Token request timeout, ms. Default: the token client's (30 s). */
  timeoutMs?: number;
  /** Session ids; injectable so tests can name them. Default: 128 random bits. */
  randomId?: () => string;
  /**
   * Opens the sign-out channel of `name` once the first page fixed the client id; `undefined`
   * where there is none. Default: a `BroadcastChannel`, where the worker has one.
   */
  openSignOutChannel?: (name: string) => SignOutChannel | undefined;
}

export interface Vault {
  /** Starts serving a page. Its accepted `connect` is answered with the sign-in the vault holds. */
  attach(port: VaultPort): void;
  /** How many ports are attached (tests; a page that closed without saying so stays counted). */
  readonly portCount: number;
}

interface Config {
  clientId: string;
  tokenEndpoint: string;
}

/** The sign-in the vault holds: what pages may see, and the refresh token they may not. */
interface Held {
  tokens: VaultTokens;
  refreshToken: string | undefined;
}

interface InFlightRefresh {
  sessionId: string;
  rotation: number;
  promise: Promise<VaultState>;
}

function randomHex(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What crosses to a page: code and message only. Messages of the token client never hold a
 * grant (it redacts Coze's echoes); anything that is not one of ours gets a generic message,
 * because an unknown error's text may hold anything.
 */
function toVaultError(error: unknown): VaultError {
  if (error instanceof CozeAuthError) return { code: error.code, message: error.message };
  return { code: 'network_error', message: 'The token vault could not complete the request.' };
}

function openBroadcastChannel(name: string): SignOutChannel | undefined {
  try {
    if (typeof BroadcastChannel !== 'function') return undefined;
    const channel = new BroadcastChannel(name);
    // In Node (the tests) an open channel would keep the process alive after its last test;
    // browsers have no unref, and a worker lives by its pages anyway.
    (channel as { unref?: () => void }).unref?.();
    const endpoint: SignOutChannel = { postMessage: (message) => channel.postMessage(message), onmessage: null };
    channel.onmessage = (event) => endpoint.onmessage?.(event);
    return endpoint;
  } catch {
    // Without it (old WebKit workers) a sign-out still ends every tab of this vault, only not
    // vaults of other releases.
    return undefined;
  }
}

/** Creates a vault. One per worker; it lives as long as the worker. */
export function createVault(options: VaultOptions = {}): Vault {
  const clock = options.clock ?? systemClock;
  const newSessionId = options.randomId ?? randomHex;
  const openSignOutChannel = options.openSignOutChannel ?? openBroadcastChannel;
  /** Ports that connected with the vault's configuration; only they may ask for anything. */
  const ports = new Map<VaultPort, { connected: boolean }>();
  let config: Config | undefined;
  let signOutChannel: SignOutChannel | undefined;
  let held: Held | undefined;
  let signedOut: Extract<VaultState, { status: 'signed-out' }> = { status: 'signed-out', reason: 'never-signed-in', error: undefined };
  let refreshing: InFlightRefresh | undefined;
  // Sign-ins and sign-outs are ordered by when they started: a code exchange answered after a
  // later sign-out or a later sign-in began is dropped, whatever order the answers arrive in.
  let sequence = 0;
  let settledUpTo = 0;

  const state = (): VaultState => (held ? { status: 'signed-in', tokens: held.tokens } : signedOut);

  function post(port: VaultPort, message: VaultToPageMessage): void {
    try {
      port.postMessage(message);
    } catch {
      // A port that cannot take a message any more is a page that went away.
      ports.delete(port);
    }
  }

  function broadcast(message: VaultToPageMessage): void {
    for (const [port, { connected }] of ports) if (connected) post(port, message);
  }

  function tokenClient(current: Config): TokenClientContext {
    return {
      tokenEndpoint: current.tokenEndpoint,
      clientId: current.clientId,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      clock,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    };
  }

  function tokensFrom(response: TokenResponse, previous: VaultTokens | undefined): VaultTokens {
    const now = clock.now();
    return {
      accessToken: response.accessToken,
      tokenType: response.tokenType,
      sessionId: previous?.sessionId ?? newSessionId(),
      rotation: previous ? previous.rotation + 1 : 0,
      obtainedAt: now,
      signedInAt: previous?.signedInAt ?? now,
      cozeExpiresAt: response.cozeExpiresAt,
      lifetimeMs: response.lifetimeMs,
      // RFC 6749 §6: an answer without a new refresh token leaves the old one valid.
      canRefresh: response.refreshToken !== undefined || (previous?.canRefresh ?? false),
    };
  }

  function connect(port: VaultPort, request: ConnectRequest): VaultState {
    if (request.version !== VAULT_PROTOCOL_VERSION) {
      throw new CozeAuthError('invalid_config', `This token vault speaks protocol v${VAULT_PROTOCOL_VERSION}, the page v${request.version}.`);
    }
    const tokenEndpoint = checkTokenEndpoint(request.tokenEndpoint);
    if (!tokenEndpoint) {
      throw new CozeAuthError('invalid_config', "The token vault only posts to Coze's token endpoint over https (http on localhost).");
    }
    // Fixed by the first page: a later page cannot point the vault's refresh token elsewhere.
    if (config && (config.clientId !== request.clientId || config.tokenEndpoint !== tokenEndpoint)) {
      throw new CozeAuthError('invalid_config', 'The token vault is already serving another client id or token endpoint.');
    }
    if (!config) {
      config = { clientId: request.clientId, tokenEndpoint };
      listenForSignOuts(config.clientId);
    }
    ports.set(port, { connected: true });
    return state();
  }

  async function exchangeCode(request: ExchangeCodeRequest, current: Config): Promise<VaultState> {
    try {
      new URL(request.redirectUri);
    } catch {
      throw new CozeAuthError('invalid_config', 'redirectUri must be an absolute URL.');
    }
    const mine = ++sequence;
    const response = await authorizationCodeGrantRequest(tokenClient(current), {
      code: request.code,
      codeVerifier: request.codeVerifier,
      redirectUri: request.redirectUri,
    });
    if (mine <= settledUpTo) {
      throw new CozeAuthError('login_required', 'A newer sign-in or a sign-out happened while this code was exchanged.');
    }
    settledUpTo = mine;
    // A refresh of the previous sign-in still on the wire is dropped when it answers (see refresh).
    held = { tokens: tokensFrom(response, undefined), refreshToken: response.refreshToken };
    broadcast({ type: 'state', state: state() });
    return state();
  }

  function refresh(request: RefreshRequest, current: Config): Promise<VaultState> {
    // Signed out (here or in another tab): the answer says so, with the reason.
    if (!held) return Promise.resolve(state());
    const { sessionId, rotation } = held.tokens;
    // Another sign-in, or tokens newer than the asker's (or a rotation that never existed): the
    // answer is what the vault holds, without a request. Only the current rotation is spent.
    if (request.sessionId !== sessionId || request.rotation !== rotation) return Promise.resolve(state());
    if (refreshing && refreshing.sessionId === sessionId && refreshing.rotation === rotation) return refreshing.promise;
    const refreshToken = held.refreshToken;
    if (refreshToken === undefined) {
      return Promise.reject(new CozeAuthError('session_expired', 'Coze gave this sign-in no refresh token; it cannot be renewed.'));
    }
    const promise = spend(current, held, refreshToken);
    const entry = { sessionId, rotation, promise };
    refreshing = entry;
    const done = () => {
      if (refreshing === entry) refreshing = undefined;
    };
    promise.then(done, done);
    return promise;
  }

  async function spend(current: Config, spent: Held, refreshToken: string): Promise<VaultState> {
    const stillCurrent = () => held === spent;
    let response: TokenResponse;
    try {
      response = await refreshTokenGrantRequest(tokenClient(current), refreshToken, (rotated) => {
        // Coze rotated, but its answer was unusable: the retry must spend the new refresh token.
        if (!stillCurrent()) return;
        held = spent = { ...spent, refreshToken: rotated };
      });
    } catch (caught) {
      const error = toVaultError(caught);
      // Signed out or signed in anew meanwhile: this sign-in's outcome no longer matters.
      if (!stillCurrent()) throw caught;
      const { sessionId, rotation } = spent.tokens;
      if (caught instanceof CozeAuthError && caught.isTransient) {
        broadcast({ type: 'refresh-failed', sessionId, rotation, error });
      } else {
        // Coze rejected the grant: it is dead for every tab.
        held = undefined;
        signedOut = { status: 'signed-out', reason: 'refresh-rejected', error };
        broadcast({ type: 'state', state: signedOut });
      }
      throw caught;
    }
    // The rotated refresh token of a sign-in that ended while the request was out is dropped.
    if (!stillCurrent()) return state();
    held = { tokens: tokensFrom(response, spent.tokens), refreshToken: response.refreshToken ?? refreshToken };
    broadcast({ type: 'state', state: state() });
    return state();
  }

  function signOut(current: Config, { tellOtherVaults }: { tellOtherVaults: boolean }): VaultState {
    settledUpTo = ++sequence;
    held = undefined;
    signedOut = { status: 'signed-out', reason: 'logout', error: undefined };
    broadcast({ type: 'state', state: signedOut });
    if (tellOtherVaults) {
      try {
        signOutChannel?.postMessage({ type: 'signed-out', clientId: current.clientId });
      } catch {
        // A closed or broken channel: this vault's tabs are signed out, which is what was asked.
      }
    }
    return signedOut;
  }

  function listenForSignOuts(clientId: string): void {
    try {
      signOutChannel = openSignOutChannel(vaultSignOutChannelName(clientId));
    } catch {
      signOutChannel = undefined;
    }
    if (!signOutChannel) return;
    signOutChannel.onmessage = ({ data }) => {
      const notice = parseSignOutNotice(data);
      // Another vault's user logged out of this app: the same user, so this sign-in ends too.
      // Not passed on: every vault of the client id heard the same notice.
      if (notice?.clientId === clientId && config) signOut(config, { tellOtherVaults: false });
    };
  }

  async function answer(port: VaultPort, data: unknown): Promise<void> {
    const message = parsePageMessage(data);
    if (message?.type === 'disconnect') {
      ports.delete(port);
      return;
    }
    const id = message?.id ?? requestIdOf(data);
    // Not a message at all: nothing to answer to.
    if (id === undefined) return;
    const reply = (result: VaultState | VaultError, ok: boolean) =>
      post(port, ok ? { type: 'reply', id, ok: true, state: result as VaultState } : { type: 'reply', id, ok: false, error: result as VaultError });
    if (!message) {
      reply({ code: 'invalid_config', message: 'The token vault does not understand this request.' }, false);
      return;
    }
    try {
      if (message.type === 'connect') {
        reply(connect(port, message), true);
        return;
      }
      // Only a page that connected with the vault's configuration may ask for anything.
      if (!config || !ports.get(port)?.connected) {
        reply({ code: 'invalid_config', message: 'Connect to the token vault first.' }, false);
        return;
      }
      switch (message.type) {
        case 'exchange-code':
          reply(await exchangeCode(message, config), true);
          return;
        case 'refresh':
          reply(await refresh(message, config), true);
          return;
        case 'sign-out':
          reply(signOut(config, { tellOtherVaults: true }), true);
          return;
      }
    } catch (error) {
      reply(toVaultError(error), false);
    }
  }

  return {
    attach(port) {
      ports.set(port, { connected: false });
      port.onmessage = (event) => {
        // Nothing a page sends may stop the vault from serving the others.
        answer(port, event.data).catch(() => undefined);
      };
      // No greeting: the vault may yet refuse this page (another token endpoint), and a refused page
      // shown the sign-in could neither refresh nor end it. Its accepted `connect` gets the state.
    },
    get portCount() {
      return ports.size;
    },
  };
}
