import { systemClock, type Clock } from '../clock.js';
import { CozeAuthError } from '../errors.js';
import { authorizationCodeGrantRequest, refreshTokenGrantRequest, type TokenClientContext } from '../protocol/tokenClient.js';
import { authorizationResponseState } from '../protocol/callbackUrl.js';
import type { TokenResponse } from '../protocol/tokenResponse.js';
import type { StoredTokens } from '../storage/tokenStore.js';
import { webLocks } from '../browser/lock.js';
import { createTabChannel, type TabMessage } from '../browser/tabChannel.js';
import type { WakeReason } from '../browser/wakeEvents.js';
import { decideAdoption, rotationOf } from './adoption.js';
import { chunkLoader, loadSignInFlow, toCozeAuthError } from './sessionSupport.js';
import { ExpiryEstimator } from './expiryEstimator.js';
import type { LifecycleAction } from './lifecycle.js';

// The whole lifecycle reducer comes with the engine; the shell has only its own actions' part.
import { reduce } from './lifecycleEngine.js';
import { RefreshScheduler } from './refreshScheduler.js';
import { refreshDueAt, retryDelayMs, TIMER_TOLERANCE_MS } from './refreshPolicy.js';
import { TabSync } from './tabSync.js';
import type { CozeSession, SessionHost } from './CozeSession.js';
import { callbackDropped, type InFlightCallback } from './callbackRegistry.js';
import type { CallbackResult, GetTokenOptions, LoginOptions, SignOutReason } from './types.js';
import type { VaultLink } from './vaultLink.js';

// Worker mode's link to the token vault, in a chunk of its own: other apps never download it.
const loadVaultLink = chunkLoader(() => import('./vaultLink.js'), 'token vault code');

function notSignedIn(): CozeAuthError {
  return new CozeAuthError('login_required', 'Not signed in to Coze.');
}

/** A sign-in its callback was completing ended by a sign-out (here, or in another session of the page). */
function signedOutDuringSignIn(): CozeAuthError {
  return new CozeAuthError('login_required', 'Signed out while the sign-in was completing.');
}

/**
 * Everything a session does once the page is running: code exchange, proactive and on-demand
 * refresh (single-flight, cross-tab), backoff, adoption of other tabs' tokens, and sign-out.
 * Loaded in its own chunk while the first render goes on from stored state (see CozeSession,
 * the eager shell that owns the state). Every async step carries the generation it started in
 * and changes nothing when it resumes in another.
 */
export class SessionEngine {
  readonly #host: SessionHost;
  readonly #session: CozeSession;
  readonly #clock: Clock;
  readonly #tokenClient: TokenClientContext;
  readonly #tabs: TabSync;
  readonly #scheduler: RefreshScheduler;
  readonly #expiry = new ExpiryEstimator();
  #refreshing: { generation: number; promise: Promise<string> } | undefined;
  /** Sign-ins ended here: a copy of their record that storage failed to delete is never adopted again. */
  readonly #endedSessions = new Set<string>();
  /** Code exchanges on the wire (worker mode keeps the vault link open for them). */
  #exchanging = 0;
  /** The access token Coze last answered 401 for: never handed out again, whatever its expiry says. */
  #rejectedToken: string | undefined;
  #retryAttempt = 0;
  #storageFailing = false;
  #started = false;
  /** `tokenStorage: 'worker'`: the vault that exchanges codes, spends refresh tokens and links the tabs. */
  readonly #worker: boolean;
  #vault: Promise<VaultLink> | undefined;

  constructor(host: SessionHost, session: CozeSession) {
    this.#host = host;
    this.#session = session;
    const { config, options, store } = host;
    this.#clock = options.clock ?? systemClock;
    this.#tokenClient = { tokenEndpoint: config.tokenEndpoint, clientId: config.clientId, fetch: options.fetch, clock: this.#clock };
    this.#worker = options.tokenStorage === 'worker';
    // In worker mode the vault is where tabs meet: no channel, no locks (claims always succeed).
    this.#tabs = new TabSync(
      this.#worker ? undefined : options.tabChannel ?? createTabChannel(`coze-auth.${config.clientId}`, store.key),
      options.lock ?? webLocks,
      `coze-auth.rotation.${config.clientId}`,
    );
    this.#scheduler = new RefreshScheduler(this.#clock, options.wakeEvents);
    const stored = host.state.tokens;
    if (stored) this.#expiry.learnFrom(stored);
    // At once, not at mount: the first state waits for the vault's answer.
    if (this.#worker) void this.#vaultLink().catch(() => undefined);
  }

  /** The vault link, loaded and connected once; a failed download signs a restoring session out (and is tried again on demand). */
  #vaultLink(): Promise<VaultLink> {
    this.#vault ??= loadVaultLink()
      .then(
        ({ VaultLink }) =>
          new VaultLink({
            config: this.#host.config,
            options: this.#host.options,
            state: () => this.#host.state,
            dispatch: (action) => this.#dispatch(action),
            emit: (event) => this.#host.emit(event),
            subscribe: (listener) => this.#session.subscribe(listener),
            localExpiresAt: (response, obtainedAt) => this.#expiry.localExpiresAt(response, obtainedAt),
            adopted: (tokens) => {
              this.#expiry.learnFrom(tokens);
              this.#retryAttempt = 0;
            },
            endSession: (reason, error) => this.endSession(reason, error, false),
            backOff: (error) => {
              const retryAt = this.#clock.now() + retryDelayMs(this.#retryAttempt);
              this.#retryAttempt += 1;
              this.#enterBackoff(this.#host.state.generation, error, retryAt, false);
            },
          }),
      )
      // Also for a worker the browser refuses at once (a script on another origin, a sandboxed frame).
      .catch((error: unknown) => {
        this.#vault = undefined;
        const reason = error instanceof CozeAuthError ? error : new CozeAuthError('storage_unavailable', 'The Coze token vault could not start.', { cause: error });
        // Nothing to restore from without the vault: signed out, saying why (the app can offer a retry).
        if (this.#host.state.status === 'restoring') {
          this.#dispatch({ type: 'signed-out', error: reason });
          this.#host.emit({ type: 'error', error: reason });
        }
        throw reason;
      });
    return this.#vault;
  }

  /** Worker mode's first answer: while restoring, waits for what the vault holds (or its failure). */
  async #restored(): Promise<void> {
    if (this.#host.state.status === 'restoring') await this.#vaultLink().then((link) => link.restored, () => undefined);
  }

  /** Starts timers and listeners (wake events, other tabs) and asks other tabs for a newer rotation. */
  start(): void {
    // Worker mode: a link closed by an earlier unmount is opened again (the vault tells what it holds).
    if (this.#worker) void this.#vaultLink().catch(() => undefined);
    this.#scheduler.start((reason) => this.#onWake(reason));
    this.#tabs.start((message) => this.#onTabMessage(message));
    // Tokens still as restored at construction (generation 0): their record gone from shared
    // storage means another tab signed out while this engine was downloading (its storage event
    // and message reached nobody here).
    const restored = !this.#started && this.#host.state.generation === 0;
    this.#started = true;
    if (this.#host.store.sharedAcrossTabs) this.#syncFromStorage(restored);
    const { tokens, status } = this.#host.state;
    if (tokens && status === 'signed-in') {
      this.#tabs.post({ type: 'sync-request', sessionId: tokens.sessionId, rotation: rotationOf(tokens) });
    }
    this.plan();
  }

  stop(): void {
    this.#scheduler.stop();
    // A refresh on the wire keeps its rotation claimed until it is answered (see #startRefresh).
    this.#tabs.stop({ keepRotation: this.#refreshing !== undefined });
    // Worker mode: an unmounted session lets go of its vault (a dedicated worker, with the refresh
    // token it holds, ends with it). After a microtask, so StrictMode's unmount → mount keeps it.
    queueMicrotask(() => this.#releaseVault());
  }

  /** Closes the vault link of an unmounted session, unless a code exchange still needs it (a session joining it waits for that answer). */
  #releaseVault(): void {
    const vault = this.#vault;
    if (!this.#worker || this.#scheduler.running || !vault || this.#exchanging > 0) return;
    this.#vault = undefined;
    void vault.then((link) => link.close(), () => undefined);
  }

  /** Leaves for Coze's authorize page with a fresh PKCE pair and `state` (the shell reports a failure). */
  async login(options: LoginOptions): Promise<void> {
    const { startAuthorization } = await loadSignInFlow();
    const url = await startAuthorization(this.#host.config, this.#host.options.transactionStorage, options.returnTo);
    this.#dispatch({ type: 'error-cleared' });
    (this.#host.options.navigate ?? ((target) => globalThis.location.assign(target)))(url);
  }

  /** Exchanges the code of a callback the shell has started (state recognised, URL already cleaned). */
  async completeCallback(url: string, generation: number | undefined, joined?: InFlightCallback): Promise<CallbackResult> {
    if (joined && generation !== undefined) return this.#joinedCallback(joined, generation);
    if (generation === 0 && callbackDropped(this.#host.config.clientId, authorizationResponseState(url) ?? '')) {
      // Built on this callback while its sign-in was pending, which a sign-out in another session
      // of this page dropped before anyone started it (one that was started is joined instead).
      this.#host.signOut('logout', undefined, false);
      throw signedOutDuringSignIn();
    }
    if (generation === undefined) {
      // No pending sign-in for it: a used callback URL. While the vault is still answering, this
      // tab may yet turn out signed in (as the shell answers for a signed-in tab).
      await this.#restored();
      if (this.#host.state.status === 'signed-in') return { returnTo: '/', alreadySignedIn: true };
    }
    const flow = await loadSignInFlow();
    if (generation !== undefined && !this.#isCurrent(generation)) {
      // Signed out before the exchange could start: the pending sign-in is dropped, not spent.
      await flow.abandonAuthorization(this.#host.config, this.#host.options.transactionStorage, url);
      throw signedOutDuringSignIn();
    }
    this.#exchanging += 1;
    let completed;
    try {
      const vault = this.#worker ? await this.#vaultLink() : undefined;
      completed = await flow.completeAuthorization(
        this.#host.config,
        this.#host.options.transactionStorage,
        (grant, sent): Promise<StoredTokens | TokenResponse> =>
          vault ? vault.exchangeCode(grant) : authorizationCodeGrantRequest(this.#tokenClient, grant, sent),
        url,
      );
    } finally {
      this.#exchanging -= 1;
      this.#releaseVault();
    }
    if (generation === undefined || !this.#isCurrent(generation)) {
      // Signed out, or another tab's sign-in was adopted, while the code was exchanged.
      if (this.#host.state.status === 'signed-in') return { returnTo: completed.returnTo, alreadySignedIn: true };
      throw signedOutDuringSignIn();
    }
    // A new sign-in gets a random id (from the flow's chunk, which the exchange needed anyway).
    const tokens = 'sessionId' in completed.response ? completed.response : this.#tokensFrom(completed.response, undefined, flow.randomHex(16));
    this.#commit({ type: 'signed-in', generation, tokens });
    this.#host.emit({ type: 'signed-in', expiresAt: tokens.expiresAt, source: 'this-tab' });
    return { returnTo: completed.returnTo, alreadySignedIn: false };
  }

  /**
   * Another session of this page completed the callback this one joined (a provider remounted with
   * a new session mid-exchange): this one ends as that session is now — its sign-in, its error, or
   * signed out. (A sign-out here meanwhile already ended that sign-in there: `endCallbackSignIn`.)
   */
  async #joinedCallback(joined: InFlightCallback, generation: number): Promise<CallbackResult> {
    const owner = joined.host;
    const outcome = await joined.promise.then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    const { status, tokens, error } = owner.state;
    if ('error' in outcome) {
      // Ended there by a sign-out (not a failure): signed out here too, without an error to show.
      const signedOut = owner.state.generation !== joined.generation && status === 'signed-out' && !error;
      if (signedOut && this.#isCurrent(generation)) this.#host.signOut('other-tab', undefined, false);
      throw outcome.error;
    }
    const { result } = outcome;
    // Worker mode: the refresh token is in the vault. A vault per session (no SharedWorker) holds
    // only its own session's sign-in; looking waits for the vault's answer.
    const vault = this.#worker && tokens ? await this.#vaultLink().then(async (link) => (await link.restored, link), () => undefined) : undefined;
    this.#releaseVault(); // an unmounted joiner does not keep the link it opened to look
    if (!this.#isCurrent(generation)) {
      // Signed out here (its logout ended that sign-in there too, at once) or signed in otherwise meanwhile.
      if (this.#host.state.status === 'signed-in') return { returnTo: result.returnTo, alreadySignedIn: true };
      throw signedOutDuringSignIn();
    }
    if (status !== 'signed-in' || !tokens) {
      // The sign-in landed there and has ended since (a sign-out, a refused refresh): so it has here.
      this.#host.signOut('other-tab', error, false);
      return result;
    }
    // It lives on there (refreshed, perhaps): it becomes this one's, if this one can renew it.
    const renewable = this.#worker ? vault?.holds(tokens.sessionId) === true : owner.options.tokenStorage !== 'worker';
    if (!renewable) throw new CozeAuthError('login_required', 'The sign-in completed in another session, whose token vault this one cannot use.');
    // The other session's storage, if tabs share it, says what holds now: that session may have
    // stopped listening (unmounted) before another tab rotated the tokens or signed out.
    const shared = owner.store.sharedAcrossTabs;
    const stored = shared ? owner.store.read() : tokens;
    if (!stored && !owner.store.lastReadFailed) {
      this.#host.signOut('other-tab', undefined, false);
      return result;
    }
    const adopted = stored && !this.#endedSessions.has(stored.sessionId) ? stored : tokens;
    // Another tab's sign-in since (the callback's ended there): held here, but not as this callback's.
    const ours = adopted.sessionId === joined.sessionId;
    this.#expiry.learnFrom(adopted);
    if (!(shared && this.#host.store.sharedAcrossTabs)) this.#persist(adopted); // this session's own storage may differ (its options changed)
    this.#dispatch({ type: 'signed-in', generation, tokens: adopted });
    this.#host.emit({ type: 'signed-in', expiresAt: adopted.expiresAt, source: ours ? 'this-tab' : 'other-tab' });
    return ours ? result : { returnTo: result.returnTo, alreadySignedIn: true };
  }

  // ── tokens ────────────────────────────────────────────────────────────────

  /**
   * Resolves an access token valid for at least the refresh skew, refreshing first if needed.
   * Concurrent callers share one refresh. While a retry is scheduled after a transient failure,
   * callers get the still-valid token, or once it expired the pending error, and send nothing.
   * Waits for a sign-in in progress; rejects with `login_required` when signed out.
   */
  async getToken(options: GetTokenOptions = {}): Promise<string> {
    if (this.#host.store.sharedAcrossTabs) this.#syncFromStorage();
    await this.#restored();
    if (this.#host.state.status === 'signing-in') {
      const pendingUrl = this.#host.pendingCallbackUrl;
      const callback = pendingUrl ? this.#session.handleRedirectCallback(pendingUrl) : this.#host.callback;
      await callback?.catch(() => undefined);
    }
    const { tokens } = this.#host.state;
    if (!tokens || this.#host.state.status !== 'signed-in') throw this.#signedOutError();
    const fresh = this.#clock.now() < refreshDueAt(tokens, this.#host.config.refreshSkewSeconds);
    if (!options.forceRefresh && fresh && tokens.accessToken !== this.#rejectedToken) return tokens.accessToken;
    return this.refresh();
  }

  /**
   * Coze answered 401 (or code 4100) for `rejectedToken`: renews once for every caller that saw
   * the same token (a caller arriving after the renewal gets the new token at once), and learns
   * from the rejection how far the browser's clock is from Coze's.
   */
  async handleUnauthorized(rejectedToken: string): Promise<string> {
    await this.#restored();
    const { tokens } = this.#host.state;
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
    if (this.#host.state.status === 'restoring') return this.#restored().then(() => this.refresh());
    const { tokens, refresh, status, error } = this.#host.state;
    if (!tokens || status !== 'signed-in') return Promise.reject(this.#signedOutError());
    if (refresh.kind === 'backoff') return this.#duringBackoff(tokens, refresh.error);
    // A backoff retry on the wire is still the backoff: callers do not wait on it (it may hang until its timeout).
    if (refresh.kind === 'in-flight' && this.#retryAttempt > 0 && error?.isTransient) return this.#duringBackoff(tokens, error);
    return this.#startRefresh();
  }

  #startRefresh(): Promise<string> {
    const { generation, tokens } = this.#host.state;
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
      if (this.#host.store.sharedAcrossTabs) this.#syncFromStorage();
      const current = this.#host.state.tokens;
      if (!this.#isCurrent(generation) || !current) return this.#afterSupersede();
      if (rotationOf(current) > rotationOf(start)) return current.accessToken; // handed over meanwhile
      if (this.#worker && current.vaultCanRefresh) return this.#refreshInVault(generation, current);
      if (!current.refreshToken) return this.#expireWithoutRefreshToken(current);
      // Watched from before the claim: a hand-over can land while the lock query is answered.
      const moved = this.#nextTransition();
      const claim = await this.#tabs.claimRotation(current.sessionId, rotationOf(current));
      if (claim === true) {
        if (!this.#isCurrent(generation)) return this.#afterSupersede();
        return this.#spendRefreshToken(generation, current);
      }
      // Another tab spent (or is spending) this refresh token. Without a channel a sessionStorage
      // tab can never receive the rotated one: it steps aside rather than spend a dead token.
      if (!this.#host.store.sharedAcrossTabs && !this.#tabs.canHandOver) {
        this.endSession('other-tab', new CozeAuthError('login_required', 'This sign-in was renewed in another tab; sign in again here.'), false);
        throw this.#signedOutError();
      }
      // Wait for its hand-over instead of spending it again.
      const outcome = await this.#tabs.waitForOtherTab(current.sessionId, claim, moved);
      if (outcome.kind === 'backoff' && this.#isCurrent(generation)) {
        const error = new CozeAuthError('server_error', 'Another tab is retrying the refresh after a failure.');
        this.#enterBackoff(generation, error, outcome.retryAt + retryDelayMs(0), false);
        return this.#duringBackoff(current, error);
      }
    }
  }

  async #spendRefreshToken(generation: number, current: StoredTokens): Promise<string> {
    try {
      const response = await refreshTokenGrantRequest(this.#tokenClient, current.refreshToken as string, (refreshToken) => {
        // Coze rotated, but its answer was unusable: keep the new refresh token (with the current
        // access token) so the retry spends it, never the rotated-out one.
        if (this.#isCurrent(generation)) this.#commit({ type: 'refreshed', generation, tokens: { ...current, refreshToken, rotation: rotationOf(current) + 1 } });
      });
      // Signed out or superseded while the request was out: the answer is dropped, nothing is written.
      if (!this.#isCurrent(generation)) return this.#afterSupersede();
      const tokens = this.#tokensFrom(response, current);
      this.#retryAttempt = 0;
      this.#commit({ type: 'refreshed', generation, tokens });
      this.#host.emit({ type: 'refreshed', expiresAt: tokens.expiresAt, source: 'this-tab' });
      return tokens.accessToken;
    } catch (caught) {
      return this.#refreshFailed(generation, current, caught);
    }
  }

  /** The refresh step in worker mode: the vault spends the refresh token (once for all tabs that ask). */
  async #refreshInVault(generation: number, current: StoredTokens): Promise<string> {
    try {
      const tokens = await (await this.#vaultLink()).refresh(current);
      if (!this.#isCurrent(generation)) return this.#afterSupersede();
      const mine = this.#host.state.tokens;
      // The vault pushes new tokens to every tab before it answers: usually they are taken already.
      if (!mine || mine.sessionId !== tokens.sessionId || rotationOf(mine) >= rotationOf(tokens)) return this.#afterSupersede();
      this.#retryAttempt = 0;
      this.#expiry.learnFrom(tokens);
      this.#commit({ type: 'refreshed', generation, tokens });
      this.#host.emit({ type: 'refreshed', expiresAt: tokens.expiresAt, source: 'this-tab' });
      return tokens.accessToken;
    } catch (caught) {
      // Coze gave this sign-in no refresh token: it lasts until its access token expires.
      if (caught instanceof CozeAuthError && caught.code === 'session_expired') return this.#expireWithoutRefreshToken(current);
      return this.#refreshFailed(generation, current, caught);
    }
  }

  /** A refresh failed: a dead grant ends the session, a transient failure schedules one retry. */
  async #refreshFailed(generation: number, current: StoredTokens, caught: unknown): Promise<string> {
    const error = toCozeAuthError(caught);
    if (!this.#isCurrent(generation)) return this.#afterSupersede();
    if (!error.isTransient) {
      if (this.#host.store.sharedAcrossTabs) this.#syncFromStorage();
      const now = this.#host.state.tokens;
      // Without working locks another tab may have rotated the token a moment ago: adopt its result.
      if (now && rotationOf(now) > rotationOf(current)) return now.accessToken;
      this.endSession('refresh-rejected', error);
      throw error;
    }
    const delayMs = retryDelayMs(this.#retryAttempt);
    this.#retryAttempt += 1;
    this.#enterBackoff(generation, error, this.#clock.now() + delayMs, true);
    this.#host.emit({ type: 'refresh-retry', error, attempt: this.#retryAttempt, delayMs });
    return this.#duringBackoff(current, error);
  }

  #enterBackoff(generation: number, error: CozeAuthError, retryAt: number, announce: boolean): void {
    this.#dispatch({ type: 'refresh-failed', generation, error, failedAt: this.#clock.now(), retryAt, attempt: this.#retryAttempt });
    const tokens = this.#host.state.tokens;
    if (announce && tokens) {
      this.#tabs.post({ type: 'backoff', sessionId: tokens.sessionId, rotation: rotationOf(tokens), retryAt });
    }
  }

  #expireWithoutRefreshToken(current: StoredTokens): string {
    if (this.#clock.now() < current.expiresAt) return current.accessToken;
    const expired = new CozeAuthError('session_expired', 'The Coze session expired and cannot be renewed.');
    this.endSession('expired', expired);
    throw expired;
  }

  /** What a superseded step resolves: the session that replaced it, or the reason there is none. */
  #afterSupersede(): string {
    const { tokens, status } = this.#host.state;
    if (tokens && status === 'signed-in') return tokens.accessToken;
    throw this.#signedOutError();
  }

  #signedOutError(): CozeAuthError {
    const { error } = this.#host.state;
    return error && !error.isTransient ? error : notSignedIn();
  }

  /** Resolves at the next transition, whatever it is. */
  #nextTransition(): Promise<void> {
    return new Promise((resolve) => {
      const stop = this.#session.subscribe(() => {
        stop();
        resolve();
      });
    });
  }

  #tokensFrom(response: TokenResponse, previous: StoredTokens | undefined, sessionId = previous?.sessionId as string): StoredTokens {
    // The answer's arrival, not this moment: an early exchange's answer may wait for a slow chunk.
    const now = response.receivedAt ?? this.#clock.now();
    return {
      accessToken: response.accessToken,
      // RFC 6749 §6: without a new refresh token in the answer, the old one stays valid.
      refreshToken: response.refreshToken ?? previous?.refreshToken,
      expiresAt: this.#expiry.localExpiresAt(response, now),
      obtainedAt: now,
      tokenType: response.tokenType,
      sessionId,
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
    const failure = this.#host.store.write(tokens);
    if (failure === undefined) {
      this.#storageFailing = false;
      return;
    }
    if (this.#storageFailing) return;
    this.#storageFailing = true;
    const error = new CozeAuthError('storage_unavailable', 'Could not save the Coze tokens; the session goes on in memory.', {
      cause: failure,
    });
    this.#host.emit({ type: 'storage-failed', error });
  }

  /**
   * Re-reads shared storage and takes what another tab wrote, if it is newer. Only a storage
   * event (`removed`) makes a missing record mean "signed out elsewhere": a read at any other
   * moment may simply not show yet a sign-in that reached this tab by message.
   */
  #syncFromStorage(removed = false): void {
    const stored = this.#host.store.read();
    if (this.#host.store.lastReadFailed) return; // unreadable is not "signed out": nothing is known
    if (stored && this.#endedSessions.has(stored.sessionId)) return; // a record storage failed to delete
    if (stored) {
      this.#consider(stored, 'storage');
      return;
    }
    if (removed && this.#host.state.status === 'signed-in' && !this.#storageFailing) this.endSession('other-tab', undefined, false);
  }

  /** Takes tokens from another tab (or shared storage) as the adoption rule says. */
  #consider(incoming: StoredTokens, via: 'storage' | 'message'): void {
    const shared = this.#host.store.sharedAcrossTabs;
    if (this.#endedSessions.has(incoming.sessionId)) return;
    switch (decideAdoption(this.#host.state, incoming, shared)) {
      case 'ignore':
        return;
      case 'assert-mine': {
        const mine = this.#host.state.tokens;
        if (!mine) return;
        this.#persist(mine);
        if (via === 'message') this.#tabs.post({ type: 'tokens', tokens: mine });
        return;
      }
      case 'rotation':
        this.#expiry.learnFrom(incoming);
        if (!shared) this.#persist(incoming); // a duplicated tab keeps its own copy current
        this.#retryAttempt = 0;
        this.#dispatch({ type: 'rotation-adopted', generation: this.#host.state.generation, tokens: incoming });
        this.#host.emit({ type: 'refreshed', expiresAt: incoming.expiresAt, source: 'other-tab' });
        return;
      case 'session':
        this.#expiry.learnFrom(incoming);
        this.#tabs.releaseRotation();
        this.#retryAttempt = 0;
        this.#dispatch({ type: 'session-adopted', tokens: incoming });
        this.#host.emit({ type: 'signed-in', expiresAt: incoming.expiresAt, source: 'other-tab' });
    }
  }

  #onTabMessage(message: TabMessage): void {
    const mine = this.#host.state.tokens;
    switch (message.type) {
      case 'tokens':
        this.#consider(message.tokens, 'message');
        return;
      case 'storage':
        if (this.#host.store.sharedAcrossTabs) this.#syncFromStorage(true);
        return;
      case 'signed-out':
        // This sign-in ended elsewhere: end it now, before a late answer here could write it back.
        if (mine && message.sessionId === mine.sessionId) this.endSession('other-tab', undefined, false);
        else if (this.#host.store.sharedAcrossTabs) this.#syncFromStorage();
        return;
      case 'sync-request':
        if (mine && mine.sessionId === message.sessionId && rotationOf(mine) > message.rotation) {
          this.#tabs.post({ type: 'tokens', tokens: mine });
        } else if (this.#endedSessions.has(message.sessionId)) {
          // A tab that missed this sign-in's end (it was loading) hears it now.
          this.#tabs.post({ type: 'signed-out', sessionId: message.sessionId });
        }
        return;
      case 'backoff':
        return; // handled by the waiters in TabSync
    }
  }

  // ── scheduling ────────────────────────────────────────────────────────────

  /** Plans the next look at the tokens from the state alone (the due time, or the pending retry); the shell calls it after every transition. */
  plan(): void {
    if (!this.#scheduler.running) return;
    const { status, tokens, refresh } = this.#host.state;
    if (status !== 'signed-in' || !tokens || refresh.kind === 'in-flight') {
      this.#scheduler.cancel();
    } else if (refresh.kind === 'backoff') {
      this.#scheduler.planAt(refresh.retryAt, () => void this.#startRefresh().catch(() => undefined));
    } else {
      this.#scheduler.planAt(refreshDueAt(tokens, this.#host.config.refreshSkewSeconds), () => this.#checkExpiry());
    }
  }

  /** Refreshes when due (or ends an unrenewable session at expiry); otherwise plans again. */
  #checkExpiry(): void {
    const { status, tokens, refresh } = this.#host.state;
    if (status !== 'signed-in' || !tokens || refresh.kind !== 'idle') return;
    const due = refreshDueAt(tokens, this.#host.config.refreshSkewSeconds);
    if (this.#clock.now() + TIMER_TOLERANCE_MS >= due) void this.refresh().catch(() => undefined);
    else this.plan();
  }

  #onWake(reason: WakeReason): void {
    if (this.#host.store.sharedAcrossTabs) this.#syncFromStorage();
    const { refresh } = this.#host.state;
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

  // ── sign-out ──────────────────────────────────────────────────────────────

  /** Ends this sign-in here (and, when `announce`, in every tab that shares it). */
  endSession(reason: SignOutReason, error: CozeAuthError | undefined, announce = true): void {
    const ended = this.#host.state.tokens;
    if (ended) this.#endedSessions.add(ended.sessionId);
    this.#retryAttempt = 0;
    this.#tabs.releaseRotation();
    // Told by another tab: in shared storage it already cleared the record (and a newer sign-in may be there now).
    this.#host.signOut(reason, error, !(reason === 'other-tab' && this.#host.store.sharedAcrossTabs));
    if (announce) this.announceSignOut(ended);
  }

  /** Tells other tabs of a sign-out (in worker mode: ends the sign-in in the vault, which tells them). */
  announceSignOut(ended: StoredTokens | undefined): void {
    if (ended) this.#endedSessions.add(ended.sessionId);
    if (this.#worker) void this.#vaultLink().then((vault) => vault.signOut(), () => undefined);
    else this.#tabs.post({ type: 'signed-out', sessionId: ended?.sessionId });
  }

  #dispatch(action: LifecycleAction): void {
    this.#host.apply(reduce(this.#host.state, action));
  }

  #isCurrent(generation: number): boolean {
    return this.#host.state.generation === generation;
  }
}
