import { systemClock, type Clock } from '../clock.js';
import { resolveCozeConfig, type CozeAuthOptions, type ResolvedCozeConfig } from '../config.js';
import { CozeAuthError } from '../errors.js';
import type { FetchLike, TokenClientContext } from '../protocol/tokenClient.js';
import type { TokenResponse } from '../protocol/tokenResponse.js';
import { authorizationResponseState, stripCallbackFromAddressBar } from '../protocol/callbackUrl.js';
import { resolveTokenStorage } from '../storage/storageAdapters.js';
import { TokenStore, type StoredTokens } from '../storage/tokenStore.js';
import { hasPendingTransaction } from '../storage/transactionStorage.js';
import { webLocks, type TabLocks } from '../browser/lock.js';
import { createTabChannel, type TabChannel, type TabMessage } from '../browser/tabChannel.js';
import type { WakeReason } from '../browser/wakeEvents.js';
import { runOncePerCallback } from './callbackRegistry.js';
import { decideAdoption, rotationOf } from './adoption.js';
import { loadSignInFlow, loadTokenClient, notSignedIn, randomId, reportListenerError, toCozeAuthError } from './sessionSupport.js';
import { ExpiryEstimator } from './expiryEstimator.js';
import { initialLifecycle, reduce, toAuthState, type LifecycleAction, type LifecycleState } from './lifecycle.js';
import { RefreshScheduler, type WakeEventSource } from './refreshScheduler.js';
import { refreshDueAt, retryDelayMs, TIMER_TOLERANCE_MS } from './refreshPolicy.js';
import { TabSync } from './tabSync.js';
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
  /** Where pending sign-ins live. Default: sessionStorage (localStorage where it is unusable). */
  transactionStorage?: Storage;
  /** Cross-tab locks, one per refresh-token rotation. Default: Web Locks. */
  lock?: TabLocks;
  /** Cross-tab messages. Default: BroadcastChannel + storage events. */
  tabChannel?: TabChannel;
  /** The page's wake events (visible, focus, online). Default: the real ones. */
  wakeEvents?: WakeEventSource;
}

/**
 * Owns one Coze sign-in: the PKCE redirect, the callback, token storage, proactive and on-demand
 * refresh (single-flight, cross-tab), and sign-out. Its state changes only through the pure
 * lifecycle reducer, one notification per transition; every async step carries the generation it
 * started in and changes nothing when it resumes in another. Framework-agnostic: React (or anything
 * else) subscribes with {@link subscribe}/{@link getSnapshot} and calls the methods.
 */
export class CozeSession {
  /** Validated configuration and Coze endpoints. */
  readonly config: ResolvedCozeConfig;

  readonly #store: TokenStore;
  readonly #transactions: Storage | undefined;
  readonly #clock: Clock;
  readonly #tokenClient: TokenClientContext;
  readonly #navigate: (url: string) => void;
  readonly #tabs: TabSync;
  readonly #scheduler: RefreshScheduler;
  readonly #expiry = new ExpiryEstimator();

  readonly #listeners = new Set<() => void>();
  readonly #eventListeners = new Set<(event: CozeAuthEvent) => void>();
  #lifecycle: LifecycleState;
  #snapshot: CozeAuthState;
  #refreshing: { generation: number; promise: Promise<string> } | undefined;
  /** Sign-ins ended here: a copy of their record that storage failed to delete is never adopted again. */
  readonly #endedSessions = new Set<string>();
  /** The access token Coze last answered 401 for: never handed out again, whatever its expiry says. */
  #rejectedToken: string | undefined;
  #retryAttempt = 0;
  #storageFailing = false;
  /** The latest callback of this page load, for a `<CozeCallback>` that remounts after the URL was cleaned. */
  #callback: Promise<CallbackResult> | undefined;
  /** A callback URL recognised at construction, completed on mount if nobody else starts it first. */
  #pendingCallbackUrl: string | undefined;
  #mounts = 0;

  constructor(options: CozeSessionOptions) {
    this.config = resolveCozeConfig(options);
    this.#store = new TokenStore(resolveTokenStorage(options.tokenStorage), this.config.clientId);
    this.#transactions = options.transactionStorage;
    this.#clock = options.clock ?? systemClock;
    this.#tokenClient = { tokenEndpoint: this.config.tokenEndpoint, clientId: this.config.clientId, fetch: options.fetch, clock: this.#clock };
    this.#navigate = options.navigate ?? ((url) => globalThis.location.assign(url));
    this.#tabs = new TabSync(
      options.tabChannel ?? createTabChannel(`coze-auth.${this.config.clientId}`, this.#store.key),
      options.lock ?? webLocks,
      `coze-auth.rotation.${this.config.clientId}`,
    );
    this.#scheduler = new RefreshScheduler(this.#clock, options.wakeEvents);
    const stored = this.#store.read();
    if (stored) this.#expiry.learnFrom(stored);
    this.#pendingCallbackUrl = this.#recognizeCallback();
    this.#lifecycle = initialLifecycle(stored, this.#pendingCallbackUrl !== undefined);
    this.#snapshot = toAuthState(this.#lifecycle);
    // Start loading the sign-in flow now: the download overlaps the app's own start.
    if (this.#pendingCallbackUrl) this.prefetchSignIn();
  }

  // ── subscription ───────────────────────────────────────────────────────────

  /** Subscribes to state changes (for `useSyncExternalStore`). Returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The current immutable state; the same object until something changes. */
  getSnapshot = (): CozeAuthState => this.#snapshot;

  /** Subscribes to lifecycle events (sign-in, refresh, retry, sign-out). Returns the unsubscribe function. */
  onEvent(listener: (event: CozeAuthEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /**
   * Starts timers and listeners (wake events, other tabs), and completes a callback recognised
   * on this page. Reference-counted, so StrictMode's mount → unmount → mount is harmless.
   * Returns the matching unmount.
   */
  mount(): () => void {
    this.#mounts += 1;
    if (this.#mounts === 1) {
      this.#scheduler.start((reason) => this.#onWake(reason));
      this.#tabs.start((message) => this.#onTabMessage(message));
      if (this.#store.sharedAcrossTabs) this.#syncFromStorage();
      const tokens = this.#lifecycle.tokens;
      if (tokens?.refreshToken) void loadTokenClient().catch(() => undefined);
      if (tokens && this.#lifecycle.status === 'signed-in') {
        this.#tabs.post({ type: 'sync-request', sessionId: tokens.sessionId, rotation: rotationOf(tokens) });
      }
      this.#plan();
      const url = this.#pendingCallbackUrl;
      if (url) void this.handleRedirectCallback(url).catch(() => undefined);
    }
    let unmounted = false;
    return () => {
      if (unmounted) return;
      unmounted = true;
      this.#mounts -= 1;
      if (this.#mounts === 0) {
        this.#scheduler.stop();
        // A refresh on the wire keeps its rotation claimed until it is answered (see #startRefresh).
        this.#tabs.stop({ keepRotation: this.#refreshing !== undefined });
      }
    };
  }

  // ── sign-in ───────────────────────────────────────────────────────────────

  /**
   * Starts downloading the sign-in code (the flow and oidc-client-ts, in parallel) so a click on
   * "Sign in" can leave for Coze at once. Idempotent; never throws. The provider calls it when
   * signed out and idle, the login button on hover and focus; a signed-in user never pays for it.
   */
  prefetchSignIn(): void {
    void loadSignInFlow().catch(() => undefined);
  }

  /**
   * Redirects to Coze's authorize page with a fresh PKCE pair and `state`. Throws
   * `unsafe_return_to` for a `returnTo` outside this origin, and `storage_unavailable` when no
   * storage would survive the redirect (nothing is sent to Coze then).
   */
  async login(options: LoginOptions = {}): Promise<void> {
    try {
      const { startAuthorization } = await loadSignInFlow();
      const url = await startAuthorization(this.config, this.#transactions, options.returnTo);
      this.#dispatch({ type: 'error-cleared' });
      this.#navigate(url);
    } catch (caught) {
      const error = toCozeAuthError(caught);
      this.#dispatch({ type: 'error-reported', error });
      this.#emit({ type: 'error', error });
      throw error;
    }
  }

  /**
   * Completes sign-in on the redirect route: checks `state`, exchanges the code exactly once per
   * state (however many times this is called, and after a remount), strips `code`/`state` from
   * the address bar, and stores the tokens. Rejects with a {@link CozeAuthError}; never redirects.
   */
  handleRedirectCallback(url: string = globalThis.location?.href ?? ''): Promise<CallbackResult> {
    const state = authorizationResponseState(url);
    // A remounted <CozeCallback> sees the cleaned URL: it gets the outcome of the callback it started.
    if (!state && this.#callback) return this.#callback;
    const complete = () => this.#completeCallback(url, state);
    const callback = state ? runOncePerCallback(`${this.config.clientId} ${state}`, complete) : complete();
    this.#callback = callback;
    return callback;
  }

  /** A callback for this client on this page (the redirect URI's path, a pending sign-in for its state), or undefined. */
  #recognizeCallback(): string | undefined {
    const href = globalThis.location?.href;
    if (!href) return undefined;
    const state = authorizationResponseState(href);
    const redirect = new URL(this.config.redirectUri);
    const here = new URL(href);
    if (!state || here.origin !== redirect.origin || here.pathname !== redirect.pathname) return undefined;
    return hasPendingTransaction(this.#transactions, this.config.clientId, state) ? href : undefined;
  }

  async #completeCallback(url: string, state: string | null): Promise<CallbackResult> {
    this.#pendingCallbackUrl = undefined;
    const pending = state !== null && hasPendingTransaction(this.#transactions, this.config.clientId, state);
    if (!pending && this.#lifecycle.status === 'signed-in') {
      // A used callback URL (Back button, reopened tab) while signed in: nothing to do.
      stripCallbackFromAddressBar(url);
      return { returnTo: '/', alreadySignedIn: true };
    }
    let generation: number | undefined;
    if (pending) {
      this.#dispatch({ type: 'callback-started' });
      generation = this.#lifecycle.generation;
    }
    // Before anything is awaited: even if the lazy chunk fails to load, the code leaves the address bar.
    stripCallbackFromAddressBar(url);
    try {
      const flow = await loadSignInFlow();
      const completed = await flow.completeAuthorization(this.config, this.#transactions, this.#tokenClient, url);
      if (generation === undefined || !this.#isCurrent(generation)) {
        // Signed out, or another tab's sign-in was adopted, while the code was exchanged.
        if (this.#lifecycle.status === 'signed-in') return { returnTo: completed.returnTo, alreadySignedIn: true };
        throw new CozeAuthError('login_required', 'Signed out while the sign-in was completing.');
      }
      const tokens = this.#tokensFrom(completed.response, undefined);
      this.#commit({ type: 'signed-in', generation, tokens });
      this.#emit({ type: 'signed-in', expiresAt: tokens.expiresAt, source: 'this-tab' });
      return { returnTo: completed.returnTo, alreadySignedIn: false };
    } catch (caught) {
      const error = toCozeAuthError(caught);
      if (generation !== undefined) {
        this.#dispatch({ type: 'sign-in-failed', generation, error, keepSession: true });
      } else {
        this.#dispatch({ type: 'error-reported', error });
      }
      this.#emit({ type: 'error', error });
      throw error;
    }
  }

  // ── tokens ────────────────────────────────────────────────────────────────

  /**
   * Resolves an access token valid for at least the refresh skew, refreshing first if needed.
   * Concurrent callers share one refresh. While a retry is scheduled after a transient failure,
   * callers get the still-valid token, or once it expired the pending error, and send nothing.
   * Waits for a sign-in in progress; rejects with `login_required` when signed out.
   */
  async getToken(options: GetTokenOptions = {}): Promise<string> {
    if (this.#store.sharedAcrossTabs) this.#syncFromStorage();
    if (this.#lifecycle.status === 'signing-in') {
      const pendingUrl = this.#pendingCallbackUrl;
      const callback = pendingUrl ? this.handleRedirectCallback(pendingUrl) : this.#callback;
      await callback?.catch(() => undefined);
    }
    const { tokens } = this.#lifecycle;
    if (!tokens || this.#lifecycle.status !== 'signed-in') throw this.#signedOutError();
    const fresh = this.#clock.now() < refreshDueAt(tokens, this.config.refreshSkewSeconds);
    if (!options.forceRefresh && fresh && tokens.accessToken !== this.#rejectedToken) return tokens.accessToken;
    return this.refresh();
  }

  /**
   * Coze answered 401 (or code 4100) for `rejectedToken`: renews once for every caller that saw
   * the same token (a caller arriving after the renewal gets the new token at once), and learns
   * from the rejection how far the browser's clock is from Coze's.
   */
  async handleUnauthorized(rejectedToken: string): Promise<string> {
    const { tokens } = this.#lifecycle;
    if (tokens && tokens.accessToken !== rejectedToken) return this.getToken();
    if (tokens) {
      this.#rejectedToken = rejectedToken;
      this.#expiry.learnFromRejection(tokens, this.#clock.now());
    }
    return this.getToken({ forceRefresh: true });
  }

  /**
   * Refreshes now (single-flight: concurrent calls share one request; across tabs, one tab
   * spends each refresh token and hands the rotated tokens to the others). Resolves the new
   * access token. On a transient failure it resolves the current token while that is still valid
   * and retries with backoff; when Coze rejects the refresh token the session ends with `invalid_grant`.
   */
  refresh(): Promise<string> {
    const { tokens, refresh, status, error } = this.#lifecycle;
    if (!tokens || status !== 'signed-in') return Promise.reject(this.#signedOutError());
    if (refresh.kind === 'backoff') return this.#duringBackoff(tokens, refresh.error);
    // A backoff retry on the wire is still the backoff: callers do not wait on it (it may hang until its timeout).
    if (refresh.kind === 'in-flight' && this.#retryAttempt > 0 && error?.isTransient) return this.#duringBackoff(tokens, error);
    return this.#startRefresh();
  }

  #startRefresh(): Promise<string> {
    const { generation, tokens } = this.#lifecycle;
    // A refresh from an older generation (before a sign-out and a new sign-in) is not this session's.
    if (this.#refreshing?.generation !== generation) {
      const promise = this.#runRefresh(generation, tokens as StoredTokens);
      const current = { generation, promise };
      this.#refreshing = current;
      const done = () => {
        if (this.#refreshing === current) this.#refreshing = undefined;
        // Unmounted while spending: the rotation was kept claimed until the answer; now it can go.
        if (!this.#scheduler.running) this.#tabs.releaseRotation();
      };
      promise.then(done, done);
    }
    return this.#refreshing.promise;
  }

  #duringBackoff(tokens: StoredTokens, error: CozeAuthError): Promise<string> {
    const usable = this.#clock.now() < tokens.expiresAt && tokens.accessToken !== this.#rejectedToken;
    return usable ? Promise.resolve(tokens.accessToken) : Promise.reject(error);
  }

  async #runRefresh(generation: number, start: StoredTokens): Promise<string> {
    this.#dispatch({ type: 'refresh-started', generation });
    for (;;) {
      if (this.#store.sharedAcrossTabs) this.#syncFromStorage();
      const current = this.#lifecycle.tokens;
      if (!this.#isCurrent(generation) || !current) return this.#afterSupersede();
      if (rotationOf(current) > rotationOf(start)) return current.accessToken; // handed over meanwhile
      if (!current.refreshToken) return this.#expireWithoutRefreshToken(current);
      const claim = await this.#tabs.claimRotation(current.sessionId, rotationOf(current));
      if (claim === true) {
        if (!this.#isCurrent(generation)) return this.#afterSupersede();
        return this.#spendRefreshToken(generation, current);
      }
      // Another tab spent (or is spending) this refresh token. Without a channel a sessionStorage
      // tab can never receive the rotated one: it steps aside rather than spend a dead token.
      if (!this.#store.sharedAcrossTabs && !this.#tabs.canHandOver) {
        this.#endSession('other-tab', new CozeAuthError('login_required', 'This sign-in was renewed in another tab; sign in again here.'), false);
        throw this.#signedOutError();
      }
      // Wait for its hand-over instead of spending it again.
      const outcome = await this.#tabs.waitForOtherTab(current.sessionId, claim, this.#nextTransition());
      if (outcome.kind === 'backoff' && this.#isCurrent(generation)) {
        const error = new CozeAuthError('server_error', 'Another tab is retrying the refresh after a failure.');
        this.#enterBackoff(generation, error, outcome.retryAt + retryDelayMs(0), false);
        return this.#duringBackoff(current, error);
      }
    }
  }

  async #spendRefreshToken(generation: number, current: StoredTokens): Promise<string> {
    try {
      const { refreshTokenGrantRequest } = await loadTokenClient();
      const response = await refreshTokenGrantRequest(this.#tokenClient, current.refreshToken as string);
      // Signed out or superseded while the request was out: the answer is dropped, nothing is written.
      if (!this.#isCurrent(generation)) return this.#afterSupersede();
      const tokens = this.#tokensFrom(response, current);
      this.#retryAttempt = 0;
      this.#commit({ type: 'refreshed', generation, tokens });
      this.#emit({ type: 'refreshed', expiresAt: tokens.expiresAt, source: 'this-tab' });
      return tokens.accessToken;
    } catch (caught) {
      const error = toCozeAuthError(caught);
      if (!this.#isCurrent(generation)) return this.#afterSupersede();
      if (!error.isTransient) {
        if (this.#store.sharedAcrossTabs) this.#syncFromStorage();
        const now = this.#lifecycle.tokens;
        // Without working locks another tab may have rotated the token a moment ago: adopt its result.
        if (now && rotationOf(now) > rotationOf(current)) return now.accessToken;
        this.#endSession('refresh-rejected', error);
        throw error;
      }
      const delayMs = retryDelayMs(this.#retryAttempt);
      this.#retryAttempt += 1;
      this.#enterBackoff(generation, error, this.#clock.now() + delayMs, true);
      this.#emit({ type: 'refresh-retry', error, attempt: this.#retryAttempt, delayMs });
      return this.#duringBackoff(current, error);
    }
  }

  #enterBackoff(generation: number, error: CozeAuthError, retryAt: number, announce: boolean): void {
    this.#dispatch({ type: 'refresh-failed', generation, error, failedAt: this.#clock.now(), retryAt, attempt: this.#retryAttempt });
    const tokens = this.#lifecycle.tokens;
    if (announce && tokens) {
      this.#tabs.post({ type: 'backoff', sessionId: tokens.sessionId, rotation: rotationOf(tokens), retryAt });
    }
  }

  #expireWithoutRefreshToken(current: StoredTokens): string {
    if (this.#clock.now() < current.expiresAt) return current.accessToken;
    const expired = new CozeAuthError('session_expired', 'The Coze session expired and cannot be renewed.');
    this.#endSession('expired', expired);
    throw expired;
  }

  /** What a superseded step resolves: the session that replaced it, or the reason there is none. */
  #afterSupersede(): string {
    const { tokens, status } = this.#lifecycle;
    if (tokens && status === 'signed-in') return tokens.accessToken;
    throw this.#signedOutError();
  }

  #signedOutError(): CozeAuthError {
    const { error } = this.#lifecycle;
    return error && !error.isTransient ? error : notSignedIn();
  }

  /** Resolves at the next transition, whatever it is. */
  #nextTransition(): Promise<void> {
    return new Promise((resolve) => {
      const stop = this.subscribe(() => {
        stop();
        resolve();
      });
    });
  }

  #tokensFrom(response: TokenResponse, previous: StoredTokens | undefined): StoredTokens {
    const now = this.#clock.now();
    return {
      accessToken: response.accessToken,
      // RFC 6749 §6: without a new refresh token in the answer, the old one stays valid.
      refreshToken: response.refreshToken ?? previous?.refreshToken,
      expiresAt: this.#expiry.localExpiresAt(response, now),
      obtainedAt: now,
      tokenType: response.tokenType,
      sessionId: previous?.sessionId ?? randomId(),
      signedInAt: previous ? previous.signedInAt ?? previous.obtainedAt : now,
      rotation: previous ? rotationOf(previous) + 1 : 0,
      cozeExpiresAt: response.cozeExpiresAt,
    };
  }

  // ── other tabs and storage ────────────────────────────────────────────────

  /** Writes the tokens a transition made current, applies it, and hands them to other tabs. */
  #commit(action: Extract<LifecycleAction, { type: 'signed-in' | 'refreshed' }>): void {
    this.#persist(action.tokens);
    this.#dispatch(action);
    this.#tabs.post({ type: 'tokens', tokens: action.tokens });
  }

  /** A failed write keeps the tokens in memory (the refresh token was already rotated) and says so once. */
  #persist(tokens: StoredTokens): void {
    const failure = this.#store.write(tokens);
    if (failure === undefined) {
      this.#storageFailing = false;
      return;
    }
    if (this.#storageFailing) return;
    this.#storageFailing = true;
    const error = new CozeAuthError('storage_unavailable', 'Could not save the Coze tokens; the session goes on in memory.', {
      cause: failure,
    });
    this.#emit({ type: 'storage-failed', error });
  }

  /**
   * Re-reads shared storage and takes what another tab wrote, if it is newer. Only a storage
   * event (`removed`) makes a missing record mean "signed out elsewhere": a read at any other
   * moment may simply not show yet a sign-in that reached this tab by message.
   */
  #syncFromStorage(removed = false): void {
    const stored = this.#store.read();
    if (this.#store.lastReadFailed) return; // unreadable is not "signed out": nothing is known
    if (stored && this.#endedSessions.has(stored.sessionId)) return; // a record storage failed to delete
    if (stored) {
      this.#consider(stored, 'storage');
      return;
    }
    if (removed && this.#lifecycle.status === 'signed-in' && !this.#storageFailing) this.#endSession('other-tab', undefined, false);
  }

  /** Takes tokens from another tab (or shared storage) as the adoption rule says. */
  #consider(incoming: StoredTokens, via: 'storage' | 'message'): void {
    const shared = this.#store.sharedAcrossTabs;
    if (this.#endedSessions.has(incoming.sessionId)) return;
    switch (decideAdoption(this.#lifecycle, incoming, shared)) {
      case 'ignore':
        return;
      case 'assert-mine': {
        const mine = this.#lifecycle.tokens;
        if (!mine) return;
        this.#persist(mine);
        if (via === 'message') this.#tabs.post({ type: 'tokens', tokens: mine });
        return;
      }
      case 'rotation':
        this.#expiry.learnFrom(incoming);
        if (!shared) this.#persist(incoming); // a duplicated tab keeps its own copy current
        this.#retryAttempt = 0;
        this.#dispatch({ type: 'rotation-adopted', generation: this.#lifecycle.generation, tokens: incoming });
        this.#emit({ type: 'refreshed', expiresAt: incoming.expiresAt, source: 'other-tab' });
        return;
      case 'session':
        this.#expiry.learnFrom(incoming);
        this.#tabs.releaseRotation();
        this.#retryAttempt = 0;
        this.#dispatch({ type: 'session-adopted', tokens: incoming });
        this.#emit({ type: 'signed-in', expiresAt: incoming.expiresAt, source: 'other-tab' });
    }
  }

  #onTabMessage(message: TabMessage): void {
    const mine = this.#lifecycle.tokens;
    switch (message.type) {
      case 'tokens':
        this.#consider(message.tokens, 'message');
        return;
      case 'storage':
        if (this.#store.sharedAcrossTabs) this.#syncFromStorage(true);
        return;
      case 'signed-out':
        // This sign-in ended elsewhere: end it now, before a late answer here could write it back.
        if (mine && message.sessionId === mine.sessionId) this.#endSession('other-tab', undefined, false);
        else if (this.#store.sharedAcrossTabs) this.#syncFromStorage();
        return;
      case 'sync-request':
        if (mine && mine.sessionId === message.sessionId && rotationOf(mine) > message.rotation) {
          this.#tabs.post({ type: 'tokens', tokens: mine });
        }
        return;
      case 'backoff':
        return; // handled by the waiters in TabSync
    }
  }

  // ── scheduling ────────────────────────────────────────────────────────────

  /** Plans the next look at the tokens from the state alone: the due time, or the pending retry. */
  #plan(): void {
    if (!this.#scheduler.running) return;
    const { status, tokens, refresh } = this.#lifecycle;
    if (status !== 'signed-in' || !tokens || refresh.kind === 'in-flight') {
      this.#scheduler.cancel();
    } else if (refresh.kind === 'backoff') {
      this.#scheduler.planAt(refresh.retryAt, () => void this.#startRefresh().catch(() => undefined));
    } else {
      this.#scheduler.planAt(refreshDueAt(tokens, this.config.refreshSkewSeconds), () => this.#checkExpiry());
    }
  }

  /** Refreshes when due (or ends an unrenewable session at expiry); otherwise plans again. */
  #checkExpiry(): void {
    const { status, tokens, refresh } = this.#lifecycle;
    if (status !== 'signed-in' || !tokens || refresh.kind !== 'idle') return;
    const due = refreshDueAt(tokens, this.config.refreshSkewSeconds);
    if (this.#clock.now() + TIMER_TOLERANCE_MS >= due) void this.refresh().catch(() => undefined);
    else this.#plan();
  }

  #onWake(reason: WakeReason): void {
    if (this.#store.sharedAcrossTabs) this.#syncFromStorage();
    const { refresh } = this.#lifecycle;
    // Back online with a retry pending: the wait is cut to half its step (once per step, so a
    // flapping connection cannot turn the backoff into one request per flap).
    if (refresh.kind === 'backoff') {
      if (reason !== 'online') return;
      const halfway = refresh.failedAt + (refresh.retryAt - refresh.failedAt) / 2;
      if (this.#clock.now() >= halfway) void this.#startRefresh().catch(() => undefined);
      else this.#scheduler.planAt(halfway, () => void this.#startRefresh().catch(() => undefined));
      return;
    }
    this.#checkExpiry();
  }

  // ── sign-out and state ────────────────────────────────────────────────────

  /** Signs out here and in every tab sharing the storage or this sign-in. Coze has no revocation endpoint; tokens are dropped. */
  logout(): void {
    this.#endSession('logout', undefined);
  }

  /** Clears `error` (e.g. after the app showed it). */
  clearError(): void {
    this.#dispatch({ type: 'error-cleared' });
  }

  #endSession(reason: SignOutReason, error: CozeAuthError | undefined, announce = true): void {
    const ended = this.#lifecycle.tokens;
    if (ended) this.#endedSessions.add(ended.sessionId);
    // Told by another tab: in shared storage it already cleared the record (and a newer sign-in may be there now).
    if (!(reason === 'other-tab' && this.#store.sharedAcrossTabs)) this.#store.clear();
    this.#retryAttempt = 0;
    this.#tabs.releaseRotation();
    this.#dispatch({ type: 'signed-out', error });
    if (announce) this.#tabs.post({ type: 'signed-out', sessionId: ended?.sessionId });
    if (ended || error) this.#emit({ type: 'signed-out', reason, error });
  }

  #isCurrent(generation: number): boolean {
    return this.#lifecycle.generation === generation;
  }

  /** The one way state changes: reduce, then (if anything changed) notify once and re-plan. */
  #dispatch(action: LifecycleAction): void {
    const next = reduce(this.#lifecycle, action);
    if (next === this.#lifecycle) return;
    this.#lifecycle = next;
    this.#snapshot = toAuthState(next);
    this.#plan();
    for (const listener of [...this.#listeners]) listener();
  }

  #emit(event: CozeAuthEvent): void {
    for (const listener of [...this.#eventListeners]) {
      try {
        listener(event);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }
}
