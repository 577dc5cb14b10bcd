import { systemClock, type Clock } from '../clock.js';
import { resolveCozeConfig, type CozeAuthOptions, type ResolvedCozeConfig } from '../config.js';
import { CozeAuthError } from '../errors.js';
import type { FetchLike, TokenClientContext } from '../protocol/tokenClient.js';
import type { TokenResponse } from '../protocol/tokenResponse.js';
import { resolveTokenStorage } from '../storage/storageAdapters.js';
import { TokenStore, type StoredTokens } from '../storage/tokenStore.js';
import { noLock, webLocks, type LockRunner } from '../browser/lock.js';
import { createTabChannel, type TabChannel, type TabMessage } from '../browser/tabChannel.js';
import { subscribeToWakeEvents } from '../browser/wakeEvents.js';
import { runOncePerCallback } from './callbackRegistry.js';
import { MAX_TIMER_DELAY_MS, refreshDueAt, retryDelayMs } from './refreshPolicy.js';
import type {
  CallbackResult,
  CozeAuthEvent,
  CozeAuthState,
  GetTokenOptions,
  LoginOptions,
  SignOutReason,
} from './types.js';

/** Everything {@link CozeSession} can be given; all but the {@link CozeAuthOptions} are for tests and unusual hosts. */
export interface CozeSessionOptions extends CozeAuthOptions {
  /** `fetch` for the token endpoint. Default: the global `fetch`, looked up per request. */
  fetch?: FetchLike;
  /** Time source and timers. Default: the real ones. */
  clock?: Clock;
  /** Leaves the page for Coze's authorize URL. Default: `window.location.assign`. */
  navigate?: (url: string) => void;
  /** Where pending sign-ins live. Default: `window.sessionStorage` (memory where it is unusable). */
  transactionStorage?: Storage;
  /** Cross-tab lock. Default: Web Locks when tokens are shared across tabs, otherwise none. */
  lock?: LockRunner;
  /** Cross-tab messages. Default: BroadcastChannel + storage events when tokens are shared. */
  tabChannel?: TabChannel;
}

// The token client is needed only when a refresh is due, so it is loaded on demand (and
// prefetched on mount while signed in, so a refresh while offline does not depend on loading it).
let tokenClientModule: Promise<typeof import('../protocol/tokenClient.js')> | undefined;
function loadTokenClient(): Promise<typeof import('../protocol/tokenClient.js')> {
  tokenClientModule ??= import('../protocol/tokenClient.js').catch((cause: unknown) => {
    tokenClientModule = undefined;
    throw new CozeAuthError('network_error', 'Could not load the token client.', { cause });
  });
  return tokenClientModule;
}

// Timers may fire a hair early; treat "due within this margin" as due so the run refreshes
// instead of concluding "still fresh" and never rescheduling.
const TIMER_TOLERANCE_MS = 5;
// How long a tab that waited for the refresh lock looks for the previous holder's tokens to show up.
const HANDOVER_WAIT_MS = 1_000;
const HANDOVER_POLL_MS = 20;

function randomId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The callback's `state`, or null. Kept here, not in protocol/callbackUrl, so that module stays lazy. */
function readCallbackState(url: string): string | null {
  try {
    return new URL(url).searchParams.get('state');
  } catch {
    return null;
  }
}

function notSignedIn(): CozeAuthError {
  return new CozeAuthError('login_required', 'Not signed in to Coze.');
}

function toCozeAuthError(error: unknown): CozeAuthError {
  if (error instanceof CozeAuthError) return error;
  return new CozeAuthError('authorization_error', 'Sign-in failed unexpectedly.', { cause: error });
}

const SIGNED_OUT: CozeAuthState = Object.freeze({
  status: 'signed-out',
  isAuthenticated: false,
  accessToken: undefined,
  expiresAt: undefined,
  sessionId: undefined,
  isRefreshing: false,
  error: undefined,
});

/**
 * Owns one Coze sign-in: the PKCE redirect, the callback, token storage, proactive and on-demand
 * refresh (single-flight, cross-tab), and sign-out. Framework-agnostic: React (or anything else)
 * subscribes with {@link subscribe}/{@link getSnapshot} and calls the methods.
 */
export class CozeSession {
  /** Validated configuration and Coze endpoints. */
  readonly config: ResolvedCozeConfig;

  readonly #store: TokenStore;
  readonly #transactions: Storage | undefined;
  readonly #clock: Clock;
  readonly #tokenClient: TokenClientContext;
  readonly #navigate: (url: string) => void;
  readonly #lock: LockRunner;
  readonly #tabChannel: TabChannel | undefined;

  readonly #listeners = new Set<() => void>();
  readonly #eventListeners = new Set<(event: CozeAuthEvent) => void>();
  #state: CozeAuthState = SIGNED_OUT;
  #tokens: StoredTokens | undefined;
  #refreshing: Promise<string> | undefined;
  #retryAttempt = 0;
  #timer: unknown;
  #mounts = 0;
  #unmountListeners: (() => void) | undefined;

  constructor(options: CozeSessionOptions) {
    this.config = resolveCozeConfig(options);
    this.#store = new TokenStore(resolveTokenStorage(options.tokenStorage), this.config.clientId);
    this.#transactions = options.transactionStorage;
    this.#clock = options.clock ?? systemClock;
    this.#tokenClient = {
      tokenEndpoint: this.config.tokenEndpoint,
      clientId: this.config.clientId,
      fetch: options.fetch,
      now: () => this.#clock.now(),
    };
    this.#navigate = options.navigate ?? ((url) => globalThis.location.assign(url));
    const shared = this.#store.sharedAcrossTabs;
    this.#lock = options.lock ?? (shared ? webLocks : noLock);
    this.#tabChannel =
      options.tabChannel ?? (shared ? createTabChannel(`coze-auth.${this.config.clientId}`, this.#store.key) : undefined);
    this.#adopt(this.#store.read());
  }

  // ── subscription ───────────────────────────────────────────────────────────

  /** Subscribes to state changes (for `useSyncExternalStore`). Returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The current immutable state; the same object until something changes. */
  getSnapshot = (): CozeAuthState => this.#state;

  /** Subscribes to lifecycle events (sign-in, refresh, retry, sign-out). Returns the unsubscribe function. */
  onEvent(listener: (event: CozeAuthEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /**
   * Starts timers and listeners (wake events, other tabs). Reference-counted, so StrictMode's
   * mount → unmount → mount is harmless. Returns the matching unmount.
   */
  mount(): () => void {
    this.#mounts += 1;
    if (this.#mounts === 1) {
      const stopWake = subscribeToWakeEvents((reason) => this.#onWake(reason));
      const stopTabs = this.#tabChannel?.subscribe((message) => this.#onTabMessage(message));
      this.#unmountListeners = () => {
        stopWake();
        stopTabs?.();
      };
      this.#syncFromStorage();
      if (this.#tokens?.refreshToken) void loadTokenClient().catch(() => undefined);
      this.#checkExpiry();
    }
    let unmounted = false;
    return () => {
      if (unmounted) return;
      unmounted = true;
      this.#mounts -= 1;
      if (this.#mounts === 0) {
        this.#unmountListeners?.();
        this.#unmountListeners = undefined;
        this.#clearTimer();
      }
    };
  }

  // ── sign-in ───────────────────────────────────────────────────────────────

  /**
   * Redirects to Coze's authorize page with a fresh PKCE pair and `state`.
   * Throws `unsafe_return_to` for a `returnTo` outside this origin.
   */
  async login(options: LoginOptions = {}): Promise<void> {
    try {
      const { startAuthorization } = await import('./signInFlow.js');
      const url = await startAuthorization(this.config, this.#transactions, options.returnTo);
      this.#update({ error: undefined });
      this.#navigate(url);
    } catch (error) {
      this.#fail(toCozeAuthError(error));
      throw this.#state.error;
    }
  }

  /**
   * Completes sign-in on the redirect route: checks `state`, exchanges the code exactly once per
   * state (however many times this is called), strips `code`/`state` from the address bar, and
   * stores the tokens. Rejects with a {@link CozeAuthError}; never redirects by itself.
   */
  handleRedirectCallback(url: string = globalThis.location?.href ?? ''): Promise<CallbackResult> {
    const state = readCallbackState(url);
    const complete = () => this.#completeCallback(url);
    return state ? runOncePerCallback(`${this.config.clientId} ${state}`, complete) : complete();
  }

  async #completeCallback(url: string): Promise<CallbackResult> {
    const wasSignedIn = this.#tokens !== undefined;
    try {
      const flow = await import('./signInFlow.js');
      flow.stripCallbackFromAddressBar(url);
      this.#update({ status: 'signing-in', error: undefined });
      const completed = await flow.completeAuthorization(this.config, this.#transactions, this.#tokenClient, url);
      this.#saveTokens(completed.response, randomId());
      this.#emit({ type: 'signed-in', expiresAt: this.#tokens?.expiresAt ?? 0 });
      this.#tabChannel?.post({ type: 'tokens-changed' });
      return { returnTo: completed.returnTo, alreadySignedIn: false };
    } catch (caught) {
      const error = toCozeAuthError(caught);
      const harmlessReplay = error.code === 'state_mismatch' || error.code === 'invalid_callback_url';
      if (harmlessReplay && wasSignedIn && this.#tokens) {
        // A used or stripped callback URL (Back button, reopened tab) while signed in: nothing to do.
        this.#update({ status: 'signed-in' });
        return { returnTo: '/', alreadySignedIn: true };
      }
      this.#fail(error);
      throw error;
    }
  }

  // ── tokens ────────────────────────────────────────────────────────────────

  /**
   * Resolves an access token valid for at least the refresh skew, refreshing first if needed.
   * Concurrent callers share one refresh. Rejects with `login_required` when signed out.
   */
  async getToken(options: GetTokenOptions = {}): Promise<string> {
    if (this.#store.sharedAcrossTabs) this.#syncFromStorage();
    const tokens = this.#tokens;
    if (!tokens) {
      throw this.#state.error && !this.#state.error.isTransient
        ? this.#state.error
        : notSignedIn();
    }
    if (!options.forceRefresh && this.#clock.now() < refreshDueAt(tokens, this.config.refreshSkewSeconds)) {
      return tokens.accessToken;
    }
    return this.refresh();
  }

  /**
   * Refreshes now (single-flight: concurrent calls share one request; across tabs, one tab
   * refreshes under a Web Lock and the others adopt its tokens). Resolves the new access token.
   * On a transient failure it resolves the current token while that is still valid and retries
   * with backoff; when Coze rejects the refresh token the session ends with `invalid_grant`.
   */
  refresh(): Promise<string> {
    if (!this.#refreshing) {
      this.#refreshing = this.#refreshUnderLock().finally(() => {
        this.#refreshing = undefined;
        this.#update({ isRefreshing: false });
      });
      this.#update({ isRefreshing: true });
    }
    return this.#refreshing;
  }

  #refreshUnderLock(): Promise<string> {
    const before = this.#tokens;
    if (!before) return Promise.reject(notSignedIn());
    return this.#lock(`coze-auth.refresh.${this.config.clientId}`, async (contended) => {
      if (this.#store.sharedAcrossTabs) {
        // Another tab may have refreshed (or signed out) while this one waited for the lock.
        // Browsers copy localStorage between tab processes asynchronously, so after waiting give
        // that tab's write a moment to arrive rather than spend a refresh token it just rotated.
        const stored = contended ? await this.#awaitStorageChange(before) : this.#syncFromStorage();
        if (!stored) throw notSignedIn();
        if (stored.accessToken !== before.accessToken) return stored.accessToken;
      }
      return this.#requestRefresh();
    });
  }

  async #awaitStorageChange(before: StoredTokens): Promise<StoredTokens | undefined> {
    // Bounded by wall-clock time: background tabs throttle timers, so counting polls could hold the lock for minutes.
    const deadline = Date.now() + HANDOVER_WAIT_MS;
    for (;;) {
      const stored = this.#syncFromStorage();
      if (stored?.accessToken !== before.accessToken || Date.now() >= deadline) return stored;
      await new Promise((resolve) => globalThis.setTimeout(resolve, HANDOVER_POLL_MS));
    }
  }

  async #requestRefresh(): Promise<string> {
    const current = this.#tokens;
    if (!current) throw notSignedIn();
    if (!current.refreshToken) {
      if (this.#clock.now() < current.expiresAt) return current.accessToken;
      const expired = new CozeAuthError('session_expired', 'The Coze session expired and cannot be renewed.');
      this.#endSession('expired', expired);
      throw expired;
    }
    try {
      const { refreshTokenGrantRequest } = await loadTokenClient();
      const response = await refreshTokenGrantRequest(this.#tokenClient, current.refreshToken);
      this.#saveTokens(response, current.sessionId);
      this.#emit({ type: 'refreshed', expiresAt: this.#tokens?.expiresAt ?? 0, source: 'this-tab' });
      this.#tabChannel?.post({ type: 'tokens-changed' });
      return this.#tokens?.accessToken ?? response.accessToken;
    } catch (caught) {
      const error = toCozeAuthError(caught);
      if (error.code === 'invalid_grant') {
        const stored = this.#store.sharedAcrossTabs ? this.#syncFromStorage() : undefined;
        // Without Web Locks another tab may have rotated the token a moment ago: adopt its result.
        if (stored && stored.refreshToken !== current.refreshToken) return stored.accessToken;
        this.#endSession('refresh-rejected', error);
        this.#tabChannel?.post({ type: 'signed-out' });
        throw error;
      }
      // Network, 5xx, or a garbled body: keep the session, retry with backoff.
      const delayMs = retryDelayMs(this.#retryAttempt);
      this.#retryAttempt += 1;
      this.#update({ error });
      this.#emit({ type: 'refresh-retry', error, attempt: this.#retryAttempt, delayMs });
      this.#setTimer(delayMs, () => void this.refresh().catch(() => undefined));
      if (this.#clock.now() < current.expiresAt) return current.accessToken;
      throw error;
    }
  }

  #saveTokens(response: TokenResponse, sessionId: string): void {
    const tokens: StoredTokens = {
      accessToken: response.accessToken,
      refreshToken: response.refreshToken,
      expiresAt: response.expiresAt,
      obtainedAt: this.#clock.now(),
      tokenType: response.tokenType,
      sessionId,
    };
    this.#store.write(tokens);
    this.#retryAttempt = 0;
    this.#adopt(tokens);
    this.#update({ error: undefined });
  }

  /** Makes `tokens` current (or signs out on undefined), updates state and reschedules. */
  #adopt(tokens: StoredTokens | undefined): void {
    this.#tokens = tokens;
    this.#update(
      tokens
        ? {
            status: 'signed-in',
            isAuthenticated: true,
            accessToken: tokens.accessToken,
            expiresAt: tokens.expiresAt,
            sessionId: tokens.sessionId,
          }
        : { status: 'signed-out', isAuthenticated: false, accessToken: undefined, expiresAt: undefined, sessionId: undefined },
    );
    this.#schedule();
  }

  /** Re-reads shared storage and adopts what another tab wrote. Returns what is stored. */
  #syncFromStorage(): StoredTokens | undefined {
    const stored = this.#store.read();
    const current = this.#tokens;
    if (stored?.accessToken === current?.accessToken) return stored;
    if (!stored) {
      if (current) this.#endSession('other-tab', undefined);
      return undefined;
    }
    const wasSignedIn = current !== undefined;
    this.#retryAttempt = 0;
    this.#adopt(stored);
    this.#update({ error: undefined });
    this.#emit(
      wasSignedIn
        ? { type: 'refreshed', expiresAt: stored.expiresAt, source: 'other-tab' }
        : { type: 'signed-in', expiresAt: stored.expiresAt },
    );
    return stored;
  }

  #onTabMessage(message: TabMessage): void {
    if (message.type === 'signed-out' || message.type === 'tokens-changed') this.#syncFromStorage();
  }

  // ── scheduling ────────────────────────────────────────────────────────────

  #schedule(): void {
    this.#clearTimer();
    const tokens = this.#tokens;
    if (!tokens || this.#mounts === 0) return;
    const dueAt = tokens.refreshToken ? refreshDueAt(tokens, this.config.refreshSkewSeconds) : tokens.expiresAt;
    this.#setTimer(dueAt - this.#clock.now(), () => this.#checkExpiry());
  }

  #setTimer(delayMs: number, run: () => void): void {
    this.#clearTimer();
    if (this.#mounts === 0) return;
    const delay = Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      run();
    }, delay);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Refreshes when due (or ends an unrenewable session at expiry); otherwise reschedules. */
  #checkExpiry(): void {
    const tokens = this.#tokens;
    if (!tokens) return;
    const now = this.#clock.now() + TIMER_TOLERANCE_MS;
    const due = tokens.refreshToken ? refreshDueAt(tokens, this.config.refreshSkewSeconds) : tokens.expiresAt;
    if (now >= due) {
      void this.refresh().catch(() => undefined);
    } else {
      this.#schedule();
    }
  }

  #onWake(reason: 'visible' | 'focus' | 'online'): void {
    if (this.#store.sharedAcrossTabs) this.#syncFromStorage();
    // Back online with a retry pending: try now rather than wait out the backoff.
    if (reason === 'online' && this.#state.error?.isTransient && this.#tokens) {
      void this.refresh().catch(() => undefined);
      return;
    }
    this.#checkExpiry();
  }

  // ── sign-out and state ────────────────────────────────────────────────────

  /** Signs out here and in every tab sharing the storage. Coze has no revocation endpoint; tokens are dropped. */
  logout(): void {
    this.#endSession('logout', undefined);
    this.#tabChannel?.post({ type: 'signed-out' });
  }

  /** Clears `error` (e.g. after the app showed it). */
  clearError(): void {
    this.#update({ error: undefined });
  }

  #endSession(reason: SignOutReason, error: CozeAuthError | undefined): void {
    const hadTokens = this.#tokens !== undefined;
    this.#store.clear();
    this.#retryAttempt = 0;
    this.#adopt(undefined);
    this.#update({ error });
    if (hadTokens || error) this.#emit({ type: 'signed-out', reason, error });
  }

  #fail(error: CozeAuthError): void {
    this.#update({ status: this.#tokens ? 'signed-in' : 'signed-out', error });
    this.#emit({ type: 'error', error });
  }

  #update(patch: Partial<CozeAuthState>): void {
    const next = { ...this.#state, ...patch };
    const keys = Object.keys(patch) as (keyof CozeAuthState)[];
    if (keys.every((key) => next[key] === this.#state[key])) return;
    this.#state = Object.freeze(next);
    for (const listener of [...this.#listeners]) listener();
  }

  #emit(event: CozeAuthEvent): void {
    for (const listener of [...this.#eventListeners]) listener(event);
  }
}
