import type { Clock } from '../clock.js';
import type { CozeAuthError } from '../errors.js';
import { resolveCozeConfig, type CozeAuthOptions, type ResolvedCozeConfig } from '../config.js';
import type { FetchLike } from '../protocol/tokenClient.js';
import { authorizationResponseState, stripCallbackFromAddressBar } from '../protocol/callbackUrl.js';
import { recognizeCallback } from '../protocol/earlyExchange.js';
import { resolveTokenStorage } from '../storage/storageAdapters.js';
import { TokenStore, type StoredTokens } from '../storage/tokenStore.js';
import { forgetPendingSignIn, hasPendingTransaction } from '../storage/transactionStorage.js';
import type { TabLocks } from '../browser/lock.js';
import type { TabChannel } from '../browser/tabChannel.js';
import { runOncePerCallback } from './callbackRegistry.js';
import { chunkLoader, loadSignInFlow, reportListenerError, toCozeAuthError } from './sessionSupport.js';
import { initialLifecycle, reduceShellAction, toAuthState, type LifecycleState, type ShellAction } from './lifecycle.js';
import type { WakeEventSource } from './refreshScheduler.js';
import type { VaultEndpoint } from '../vault/openVaultWorker.js';
import type { SessionEngine, SessionHost } from './sessionEngine.js';
import type { CallbackResult, CozeAuthEvent, CozeAuthState, GetTokenOptions, LoginOptions, SignOutReason } from './types.js';

// The engine (refresh, other tabs, timers, the code exchange) is a chunk of its own: the first
// render needs only the stored state, so it does not wait for the engine's download. Once loaded
// it is kept here, and sessions created afterwards get it at once.
export const loadSessionEngine = chunkLoader(() => import('./sessionEngine.js'), 'session code');

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
  /** `tokenStorage: 'worker'`: opens the vault's port. Default: the SharedWorker (a dedicated Worker where missing). */
  openVaultWorker?: (name: string, workerUrl: string | URL | undefined) => VaultEndpoint;
}

/**
 * Owns one Coze sign-in: the PKCE redirect, the callback, token storage, proactive and on-demand
 * refresh (single-flight, cross-tab), and sign-out. Its state changes only through the pure
 * lifecycle reducer, one notification per transition; every async step carries the generation it
 * started in and changes nothing when it resumes in another. Framework-agnostic: React (or anything
 * else) subscribes with {@link subscribe}/{@link getSnapshot} and calls the methods.
 *
 * This class is the eager part: state, subscriptions, the redirect and the callback's first,
 * synchronous steps. The rest runs in the session engine, loaded in parallel with the first render.
 */
export class CozeSession {
  /** Validated configuration and Coze endpoints. */
  readonly config: ResolvedCozeConfig;

  readonly #options: CozeSessionOptions;
  readonly #store: TokenStore;
  readonly #transactions: Storage | undefined;
  readonly #navigate: (url: string) => void;
  readonly #listeners = new Set<() => void>();
  readonly #eventListeners = new Set<(event: CozeAuthEvent) => void>();
  #lifecycle: LifecycleState;
  #snapshot: CozeAuthState;
  #engine: SessionEngine | undefined;
  #engineReady: Promise<SessionEngine> | undefined;
  /** The latest callback of this page load, for a `<CozeCallback>` that remounts after the URL was cleaned. */
  #callback: Promise<CallbackResult> | undefined;
  /** A callback URL recognised at construction, completed on mount if nobody else starts it first. */
  #pendingCallbackUrl: string | undefined;
  #mounts = 0;
  /** A sign-out made before the engine arrived, for it to tell other tabs. */
  #unannounced: { ended: StoredTokens | undefined } | undefined;

  constructor(options: CozeSessionOptions) {
    this.config = resolveCozeConfig(options);
    this.#options = options;
    this.#store = new TokenStore(resolveTokenStorage(options.tokenStorage), this.config.clientId);
    this.#transactions = options.transactionStorage;
    this.#navigate = options.navigate ?? ((url) => globalThis.location.assign(url));
    // A callback for this client on this page: its code exchange leaves now, overlapping the
    // download of the sign-in code; the mount (or the first <CozeCallback>) completes it. Not in
    // worker mode: there the vault exchanges the code, so the refresh token never enters the page.
    const worker = options.tokenStorage === 'worker';
    this.#pendingCallbackUrl = recognizeCallback(this.config, this.#transactions, worker ? false : options.fetch, () =>
      options.clock ? options.clock.now() : Date.now(),
    );
    // Worker mode: the page's store is empty memory; the state waits for the vault's answer.
    this.#lifecycle = initialLifecycle(this.#store.read(), this.#pendingCallbackUrl !== undefined, worker);
    this.#snapshot = toAuthState(this.#lifecycle);
    if (loadSessionEngine.loaded) this.#engine = this.#createEngine(loadSessionEngine.loaded);
    // In a browser the engine's download starts now and overlaps the app's first render (and the
    // sign-in flow's too, on a callback). Servers never load either.
    else if (globalThis.document) void this.#loadEngine().catch(() => undefined);
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
      if (this.#engine) this.#engine.start();
      else void this.#loadEngine().catch(() => undefined);
      const url = this.#pendingCallbackUrl;
      if (url) void this.handleRedirectCallback(url).catch(() => undefined);
    }
    let unmounted = false;
    return () => {
      if (unmounted) return;
      unmounted = true;
      this.#mounts -= 1;
      if (this.#mounts === 0) this.#engine?.stop();
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
    if (!state) {
      // A URL already cleaned (by a router, or for a remounted <CozeCallback>): the callback of this
      // page is the one recognised at construction, or the one under way.
      if (this.#pendingCallbackUrl) return this.handleRedirectCallback(this.#pendingCallbackUrl);
      if (this.#callback) return this.#callback;
    }
    const complete = () => this.#completeCallback(url, state);
    const callback = state ? runOncePerCallback(`${this.config.clientId} ${state}`, complete) : complete();
    this.#callback = callback;
    return callback;
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
    // Before anything is awaited: even if a lazy chunk fails to load, the code leaves the address bar.
    stripCallbackFromAddressBar(url);
    try {
      return await (await this.#loadEngine()).completeCallback(url, generation);
    } catch (caught) {
      const error = toCozeAuthError(caught);
      if (generation !== undefined) {
        // A used code is never retried: its pending sign-in goes too, had the flow not got to it.
        forgetPendingSignIn(this.#transactions, this.config.clientId, state as string);
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
    return (this.#engine ?? (await this.#loadEngine())).getToken(options);
  }

  /**
   * Coze answered 401 (or code 4100) for `rejectedToken`: renews once for every caller that saw
   * the same token (a caller arriving after the renewal gets the new token at once), and learns
   * from the rejection how far the browser's clock is from Coze's.
   */
  async handleUnauthorized(rejectedToken: string): Promise<string> {
    return (this.#engine ?? (await this.#loadEngine())).handleUnauthorized(rejectedToken);
  }

  /**
   * Refreshes now (single-flight: concurrent calls share one request; across tabs, one tab
   * spends each refresh token and hands the rotated tokens to the others). Resolves the new
   * access token. On a transient failure it resolves the current token while that is still valid
   * and retries with backoff; when Coze rejects the refresh token the session ends with `invalid_grant`.
   */
  async refresh(): Promise<string> {
    return (this.#engine ?? (await this.#loadEngine())).refresh();
  }

  // ── sign-out and state ────────────────────────────────────────────────────

  /** Signs out here and in every tab sharing the storage or this sign-in. Coze has no revocation endpoint; tokens are dropped. */
  logout(): void {
    // A callback recognised on this page and not started yet is dropped with its pending sign-in:
    // the mount that follows must not sign the user back in.
    const pending = this.#pendingCallbackUrl;
    this.#pendingCallbackUrl = undefined;
    if (pending) {
      forgetPendingSignIn(this.#transactions, this.config.clientId, authorizationResponseState(pending) as string);
      stripCallbackFromAddressBar(pending); // nothing will handle it now: its code must not stay in the address bar
    }
    if (this.#engine) {
      this.#engine.endSession('logout', undefined);
      return;
    }
    // Before the engine has arrived: sign out here at once, and tell other tabs once it is loaded
    // (however many tries its download takes).
    this.#unannounced = { ended: this.#signOut('logout', undefined) };
    void this.#loadEngine().catch(() => undefined);
  }

  /** Signs this tab out (the engine adds the other tabs); returns the tokens that ended. */
  #signOut(reason: SignOutReason, error: CozeAuthError | undefined, clearStorage = true): StoredTokens | undefined {
    const ended = this.#lifecycle.tokens;
    if (clearStorage) this.#store.clear();
    this.#dispatch({ type: 'signed-out', error });
    if (ended || error) this.#emit({ type: 'signed-out', reason, error });
    return ended;
  }

  /** Clears `error` (e.g. after the app showed it). */
  clearError(): void {
    this.#dispatch({ type: 'error-cleared' });
  }

  #loadEngine(): Promise<SessionEngine> {
    this.#engineReady ??= loadSessionEngine().then(
      (loaded) => (this.#engine ??= this.#createEngine(loaded)),
      (error: CozeAuthError) => {
        this.#engineReady = undefined;
        // Worker mode: without the engine no vault answers; signed out, saying why (a retry may still sign in).
        if (this.#lifecycle.status === 'restoring') {
          this.#dispatch({ type: 'signed-out', error });
          this.#emit({ type: 'error', error });
        }
        // A mounted session tries again when the browser is back online or the user returns.
        const retry = () => void (this.#mounts > 0 && this.#loadEngine().catch(() => undefined));
        for (const type of ['online', 'focus']) globalThis.addEventListener?.(type, retry, { once: true });
        throw error;
      },
    );
    return this.#engineReady;
  }

  #createEngine(loaded: typeof import('./sessionEngine.js')): SessionEngine {
    const host: SessionHost = {
      config: this.config,
      store: this.#store,
      options: this.#options,
      transactions: this.#transactions,
      state: () => this.#lifecycle,
      pendingCallbackUrl: () => this.#pendingCallbackUrl,
      callback: () => this.#callback,
      dispatch: (action) => this.#apply(loaded.reduce(this.#lifecycle, action)),
      emit: (event) => this.#emit(event),
      signOut: (reason, error, clearStorage) => void this.#signOut(reason, error, clearStorage),
      subscribe: this.subscribe,
      handleRedirectCallback: (url) => this.handleRedirectCallback(url),
    };
    const engine = new loaded.SessionEngine(host);
    if (this.#unannounced) engine.announceSignOut(this.#unannounced.ended);
    this.#unannounced = undefined;
    // Arrived after the mount: start now (the engine's start also asks other tabs what it missed).
    if (this.#mounts > 0) queueMicrotask(() => this.#mounts > 0 && engine === this.#engine && engine.start());
    return engine;
  }

  /** The shell's own actions, through its part of the reducer (the engine dispatches through the whole one). */
  #dispatch(action: ShellAction): void {
    this.#apply(reduceShellAction(this.#lifecycle, action));
  }

  /** The one way state changes: a reducer's result; if anything changed, notify once and re-plan. */
  #apply(next: LifecycleState): void {
    if (next === this.#lifecycle) return;
    this.#lifecycle = next;
    this.#snapshot = toAuthState(next);
    this.#engine?.plan();
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
