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
import { endCallbackSignIn, joinCallbackInFlight, runOncePerCallback, type InFlightCallback } from './callbackRegistry.js';
import { chunkLoader, loadSignInFlow, reportListenerError, toCozeAuthError } from './sessionSupport.js';
import { initialLifecycle, reduceShellAction, toAuthState, type LifecycleState, type ShellAction } from './lifecycle.js';
import type { WakeEventSource } from './refreshScheduler.js';
import type { VaultEndpoint } from '../vault/openVaultWorker.js';
import type { SessionEngine } from './sessionEngine.js';
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
 * What the shell lends its engine: the configuration, the state and the one way to change it
 * (`apply`, with a reducer's result), and its events. The shell owns it; the engine works on it.
 */
export interface SessionHost {
  readonly config: ResolvedCozeConfig;
  readonly options: CozeSessionOptions;
  readonly store: TokenStore;
  /** The lifecycle state; replaced only through {@link SessionHost.apply}. */
  readonly state: LifecycleState;
  /** A callback URL recognised at construction and not yet started. */
  pendingCallbackUrl: string | undefined;
  /** The latest callback of this page load, for a `<CozeCallback>` that remounts after the URL was cleaned. */
  callback: Promise<CallbackResult> | undefined;
  /** The one way state changes: if `next` differs, it becomes the state; listeners hear once; the engine re-plans. */
  apply(next: LifecycleState): void;
  emit(event: CozeAuthEvent): void;
  /** Signs this tab out: its storage (unless `clearStorage` is false), one transition, one event. Returns the tokens that ended. */
  signOut(reason: SignOutReason, error: CozeAuthError | undefined, clearStorage?: boolean): StoredTokens | undefined;
  /** The session's own `logout()`: a sign-out made in another session of this page ends this one's sign-in as the user's would. */
  logout(): void;
}

/**
 * Owns one Coze sign-in: the PKCE redirect, the callback, token storage, proactive and on-demand
 * refresh (single-flight, cross-tab), and sign-out. Its state changes only through the pure
 * lifecycle reducer, one notification per transition; every async step carries the generation it
 * started in and changes nothing when it resumes in another. Framework-agnostic: React (or anything
 * else) subscribes with {@link subscribe}/{@link getSnapshot} and calls the methods.
 *
 * This class is the eager part: state, subscriptions, and what must happen before the engine has
 * loaded (recognising a callback and sending its code exchange, signing out). Everything else is
 * the session engine's, loaded in parallel with the first render; calls made before it arrives wait for it.
 */
export class CozeSession {
  /** Validated configuration and Coze endpoints. */
  readonly config: ResolvedCozeConfig;

  readonly #host: SessionHost & { state: LifecycleState };
  readonly #listeners = new Set<() => void>();
  readonly #eventListeners = new Set<(event: CozeAuthEvent) => void>();
  #snapshot: CozeAuthState;
  #engine: SessionEngine | undefined;
  #engineReady: Promise<SessionEngine> | undefined;
  #mounts = 0;
  readonly #errorsReported = new WeakSet<CozeAuthError>();
  /** A sign-out made before the engine arrived, for it to tell other tabs. */
  #unannounced: { ended: StoredTokens | undefined } | undefined;

  constructor(options: CozeSessionOptions) {
    const config = (this.config = resolveCozeConfig(options));
    const store = new TokenStore(resolveTokenStorage(options.tokenStorage), config.clientId);
    // A callback for this client on this page: its code exchange leaves now, overlapping the
    // download of the sign-in code; the mount (or the first <CozeCallback>) completes it. Not in
    // worker mode: there the vault exchanges the code, so the refresh token never enters the page.
    const worker = options.tokenStorage === 'worker';
    const pendingCallbackUrl = recognizeCallback(config, options.transactionStorage, !worker && options.fetch, () => (options.clock ?? Date).now());
    // Worker mode: the page's store is empty memory; the state waits for the vault's answer.
    const state = initialLifecycle(store.read(), pendingCallbackUrl !== undefined, worker);
    this.#snapshot = toAuthState(state);
    this.#host = {
      config,
      options,
      store,
      state,
      pendingCallbackUrl,
      callback: undefined,
      apply: (next) => {
        if (next === this.#host.state) return;
        this.#host.state = next;
        this.#snapshot = toAuthState(next);
        this.#engine?.plan();
        for (const listener of [...this.#listeners]) listener();
      },
      emit: (event) => {
        for (const listener of [...this.#eventListeners]) {
          try {
            listener(event);
          } catch (error) {
            reportListenerError(error);
          }
        }
      },
      signOut: (reason, error, clearStorage = true) => {
        const ended = this.#host.state.tokens;
        if (clearStorage) store.clear();
        this.#dispatch({ type: 'signed-out', error });
        if (ended || error) this.#host.emit({ type: 'signed-out', reason, error });
        return ended;
      },
      logout: () => this.logout(),
    };
    if (loadSessionEngine.loaded) this.#engine = this.#createEngine(loadSessionEngine.loaded);
    // In a browser the engine's download starts now and overlaps the app's first render (and the
    // sign-in flow's too, on a callback). Servers never load either.
    else if (globalThis.document) void this.#loadEngine().catch(() => undefined);
    if (pendingCallbackUrl) this.prefetchSignIn();
    // Else a callback another session of this client is completing on this page (a provider
    // remounted with a new session mid-exchange): joined now, so this one does not start signed out.
    else this.#host.callback = joinCallbackInFlight(config.clientId, this.#host, (joined) => this.#completeCallback(joined.url, joined.state, joined));
    this.#host.callback?.catch(() => undefined);
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
      const url = this.#host.pendingCallbackUrl;
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
    this.prefetchSignIn(); // beside the engine, not after it
    try {
      await (await this.#engineNow()).login(options);
    } catch (caught) {
      const error = toCozeAuthError(caught);
      this.#dispatch({ type: 'error-reported', error });
      throw this.#reported(error);
    }
  }

  /**
   * Completes sign-in on the redirect route: checks `state`, exchanges the code exactly once per
   * state (however many times this is called, and after a remount), strips `code`/`state` from
   * the address bar, and stores the tokens. Rejects with a {@link CozeAuthError}; never redirects.
   */
  handleRedirectCallback(url: string = globalThis.location?.href ?? ''): Promise<CallbackResult> {
    const host = this.#host;
    const state = authorizationResponseState(url);
    if (!state) {
      // A URL already cleaned (by a router, or for a remounted <CozeCallback>): the callback of this
      // page is the one recognised at construction, or the one under way.
      if (host.pendingCallbackUrl) return this.handleRedirectCallback(host.pendingCallbackUrl);
      if (host.callback) return host.callback;
    }
    const complete = (joined?: InFlightCallback) => this.#completeCallback(url, state, joined);
    const callback = state ? runOncePerCallback(host.config.clientId, url, state, host, complete) : complete();
    host.callback = callback;
    return callback;
  }

  /** Completes a callback this session started, or (`joined`) one another session of this page is completing. */
  async #completeCallback(url: string, state: string | null, joined?: InFlightCallback): Promise<CallbackResult> {
    const host = this.#host;
    const { config, options } = host;
    host.pendingCallbackUrl = undefined;
    // Decided now, not when the engine arrives: a sign-out (or another tab's sign-in) meanwhile
    // must find this sign-in started, so that it ends it.
    const pending = !!joined || (state !== null && hasPendingTransaction(options.transactionStorage, config.clientId, state));
    if (!pending && host.state.status === 'signed-in') {
      // A used callback URL (Back button, reopened tab) while signed in: nothing to do.
      stripCallbackFromAddressBar(url);
      return { returnTo: '/', alreadySignedIn: true };
    }
    let generation: number | undefined;
    if (pending) {
      this.#dispatch({ type: 'callback-started' });
      generation = host.state.generation;
    } else if (host.state.status === 'signing-in' && host.state.generation === 0) {
      // Built on this callback while its sign-in was pending, which another session has since
      // completed or dropped: this one's outcome is the flow's answer, never `signing-in` for good.
      generation = 0;
    }
    // Before anything is awaited: even if a lazy chunk fails to load, the code leaves the address bar.
    stripCallbackFromAddressBar(url);
    try {
      return await (await this.#engineNow()).completeCallback(url, generation, joined);
    } catch (caught) {
      const error = toCozeAuthError(caught);
      if (generation !== undefined) {
        // A used code is never retried: its pending sign-in goes too, had the flow not got to it.
        forgetPendingSignIn(options.transactionStorage, config.clientId, state as string);
        this.#dispatch({ type: 'sign-in-failed', generation, error, keepSession: true });
      } else {
        this.#dispatch({ type: 'error-reported', error });
      }
      throw this.#reported(error);
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
    return (await this.#engineNow()).getToken(options);
  }

  /**
   * Coze answered 401 (or code 4100) for `rejectedToken`: renews once for every caller that saw
   * the same token (a caller arriving after the renewal gets the new token at once), and learns
   * from the rejection how far the browser's clock is from Coze's.
   */
  async handleUnauthorized(rejectedToken: string): Promise<string> {
    return (await this.#engineNow()).handleUnauthorized(rejectedToken);
  }

  /**
   * Refreshes now (single-flight: concurrent calls share one request; across tabs, one tab
   * spends each refresh token and hands the rotated tokens to the others). Resolves the new
   * access token. On a transient failure it resolves the current token while that is still valid
   * and retries with backoff; when Coze rejects the refresh token the session ends with `invalid_grant`.
   */
  async refresh(): Promise<string> {
    return (await this.#engineNow()).refresh();
  }

  // ── sign-out and state ────────────────────────────────────────────────────

  /** Signs out here and in every tab sharing the storage or this sign-in. Coze has no revocation endpoint; tokens are dropped. */
  logout(): void {
    const host = this.#host;
    // A callback recognised on this page and not started yet is dropped with its pending sign-in:
    // the mount that follows must not sign the user back in.
    const pending = host.pendingCallbackUrl;
    host.pendingCallbackUrl = undefined;
    const state = pending ? (authorizationResponseState(pending) as string) : undefined;
    if (pending) {
      forgetPendingSignIn(host.options.transactionStorage, host.config.clientId, state as string);
      stripCallbackFromAddressBar(pending); // nothing will handle it now: its code must not stay in the address bar
    }
    // A sign-in another session of this page started from that callback, or that this one joined, ends too.
    endCallbackSignIn(host, state);
    if (this.#engine) {
      this.#engine.endSession('logout', undefined);
      return;
    }
    // Before the engine has arrived: sign out here at once, and tell other tabs once it is loaded
    // (however many tries its download takes).
    this.#unannounced = { ended: host.signOut('logout', undefined) };
    void this.#loadEngine().catch(() => undefined);
  }

  /** Clears `error` (e.g. after the app showed it). */
  clearError(): void {
    this.#dispatch({ type: 'error-cleared' });
  }

  /** The engine: at once when loaded, else once its chunk arrives (a failed download rejects with `network_error`). */
  async #engineNow(): Promise<SessionEngine> {
    return this.#engine ?? this.#loadEngine();
  }

  #loadEngine(): Promise<SessionEngine> {
    this.#engineReady ??= loadSessionEngine().then(
      (loaded) => (this.#engine ??= this.#createEngine(loaded)),
      (error: CozeAuthError) => {
        this.#engineReady = undefined;
        // Worker mode: without the engine no vault answers; signed out, saying why (a retry may still sign in).
        if (this.#host.state.status === 'restoring') {
          this.#dispatch({ type: 'signed-out', error });
          this.#reported(error);
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
    const engine = new loaded.SessionEngine(this.#host, this);
    if (this.#unannounced) engine.announceSignOut(this.#unannounced.ended);
    this.#unannounced = undefined;
    // Arrived after the mount: start now (the engine's start also asks other tabs what it missed).
    if (this.#mounts > 0) queueMicrotask(() => this.#mounts > 0 && engine === this.#engine && engine.start());
    return engine;
  }

  /** Emits `error` once per failure, however many waiting calls it reaches (one failed engine download rejects them all); returns it. */
  #reported(error: CozeAuthError): CozeAuthError {
    if (!this.#errorsReported.has(error)) this.#host.emit({ type: 'error', error });
    this.#errorsReported.add(error);
    return error;
  }

  /** The shell's own actions, through its part of the reducer (the engine dispatches through the whole one). */
  #dispatch(action: ShellAction): void {
    this.#host.apply(reduceShellAction(this.#host.state, action));
  }
}
