import { forgetCallbacksInFlight } from '../../core/session/callbackRegistry.js';
import { CozeSession, type CozeSessionOptions } from '../../core/session/CozeSession.js';
import type { CozeAuthEvent } from '../../core/session/types.js';
import { createMemoryStorage } from '../../core/storage/storageAdapters.js';
import { TokenStore } from '../../core/storage/tokenStore.js';
import type { FetchLike } from '../../core/protocol/tokenClient.js';
import { initialsAvatarUrl } from '../server/defaultFixtures.js';
import type { CozeModel, CozeModelOptions, CozeUser } from '../server/types.js';
import { createTestClock, flushAsync, type TestClock } from '../testClock.js';
import { createTestCozeModel, modelFetch, TEST_CLIENT_ID, testRedirectUri, testSessionOptions } from '../testDefaults.js';

/** The state a test starts in. */
export type TestAuthState = 'signed-in' | 'signed-out' | 'expired';

/** Options of {@link createTestCozeAuth}. */
export interface TestCozeAuthOptions {
  /** Start signed in (default), signed out, or with a session whose refresh token Coze revoked. */
  state?: TestAuthState;
  /** The signed-in user (merged over a default user). */
  user?: Partial<CozeUser>;
  /** Access token lifetime. Default 900 s. */
  accessTokenTtlSeconds?: number;
  /** Start time of the test clock, epoch ms. Default: now. */
  now?: number;
  /** Extra model options (workspaces, latency, …). */
  model?: Partial<Omit<CozeModelOptions, 'apiOrigin' | 'webOrigin' | 'clients' | 'now'>>;
  /**
   * Session options over the kit's (`refreshSkewSeconds`, `tokenStorage`, `lock`, `tabChannel`,
   * `wakeEvents`, …). `fetch` here wraps the model's (it receives the model's `fetch`); `navigate`
   * is the kit's, observe it with `onNavigate`.
   */
  session?: Partial<Omit<CozeSessionOptions, 'fetch' | 'navigate' | 'clock'>> & { fetch?: (modelFetch: FetchLike) => FetchLike };
}

/** A self-contained fake Coze sign-in for component tests: no network, no MSW, controllable time. */
export interface TestCozeAuth {
  /** The fake Coze server (counters, failures, revocation). */
  readonly model: CozeModel;
  /** The session under test; pass it to `<CozeAuthProvider session={…}>` or use `<MockCozeAuthProvider>`. */
  readonly session: CozeSession;
  /** The session's and the model's clock. */
  readonly clock: TestClock;
  /** `fetch` that answers from the model (use it for hand-rolled requests in tests). */
  readonly fetch: FetchLike;
  /** `CozeAPI` options that send the client's requests to the model (axios `fetch` adapter). */
  readonly clientOptions: { axiosOptions: Record<string, unknown> };
  /** The user signed in at the fake Coze. */
  readonly user: CozeUser;
  /** Every lifecycle event of the session since it was created (oldest first). */
  readonly events: readonly CozeAuthEvent[];
  /** The authorize URL the app last left for (`login()`), until Coze answers it. */
  readonly pendingLogin: string | undefined;
  /** Calls `listener` whenever the app leaves for Coze's authorize page (the page never leaves). Returns stop. */
  onNavigate(listener: (authorizeUrl: string) => void): () => void;
  /** Coze's answer to the pending login (Authorize or Cancel): the callback URL to return to. */
  decide(decision: 'approve' | 'deny'): Promise<string>;
  /** Starts a sign-in for `returnTo` (default `/`) and lets Coze answer it; the callback is left for the app. */
  prepareCallback(options?: { returnTo?: string; decision?: 'approve' | 'deny' }): Promise<string>;
  /** Completes a login the app started (`login()` / `<CozeLoginButton>`): consent, callback, exchange. */
  completeLogin(options?: { deny?: boolean }): Promise<void>;
  /** Ends the session the way Coze would: every token revoked, the next refresh rejected. */
  expireSession(): Promise<void>;
}

const DEFAULT_TEST_USER: CozeUser = {
  user_id: 'user-test-1',
  user_name: 'ada',
  nick_name: 'Ada Lovelace',
  avatar_url: initialsAvatarUrl('AL'),
};

/** Seeds `storage` the way a completed callback would have left it. */
function seedSignedIn(model: CozeModel, user: CozeUser, clock: TestClock, storage: ReturnType<typeof createMemoryStorage>): void {
  const tokens = model.issueTokens({ clientId: TEST_CLIENT_ID, userId: user.user_id });
  new TokenStore(storage, TEST_CLIENT_ID).write({
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: tokens.expires_in * 1000,
    obtainedAt: clock.now(),
    tokenType: 'Bearer',
    sessionId: `test-${user.user_id}`,
    signedInAt: clock.now(),
    rotation: 0,
    cozeExpiresAt: tokens.expires_in * 1000,
  });
}

/**
 * Builds a fake Coze server model, a test clock, and a {@link CozeSession} wired to them, in the
 * requested state. Everything runs in memory; real protocol code runs on both sides.
 *
 * @example
 * const auth = await createTestCozeAuth({ user: { nick_name: 'Grace' } });
 * render(<MockCozeAuthProvider auth={auth}><Profile /></MockCozeAuthProvider>);
 */
export async function createTestCozeAuth(options: TestCozeAuthOptions = {}): Promise<TestCozeAuth> {
  const state = options.state ?? 'signed-in';
  const user: CozeUser = { ...DEFAULT_TEST_USER, ...options.user };
  const clock = createTestClock(options.now);
  const redirectUri = testRedirectUri();
  const model = createTestCozeModel({
    ...options.model,
    redirectUri,
    users: [user, ...(options.model?.users ?? []).filter((u) => u.user_id !== user.user_id)],
    signedInUserId: user.user_id,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? options.model?.accessTokenTtlSeconds ?? 900,
    now: clock.now,
  });
  const fetch = modelFetch(model);
  const { fetch: wrapFetch, ...sessionOverrides } = options.session ?? {};
  const storage = createMemoryStorage();
  const tokenStorage = sessionOverrides.tokenStorage ?? storage;
  // The kit's own storage (or one given) is seeded; a named one (`'localStorage'`) is signed into below.
  const seeded = state !== 'signed-out' && typeof tokenStorage === 'object';
  if (seeded) seedSignedIn(model, user, clock, tokenStorage);

  // A fresh page: a callback another test left on the wire in this realm is not this session's to join.
  forgetCallbacksInFlight();
  let pendingLogin: string | undefined;
  const navigationListeners = new Set<(url: string) => void>();
  const events: CozeAuthEvent[] = [];
  const session = new CozeSession(
    testSessionOptions({
      redirectUri,
      ...sessionOverrides,
      tokenStorage,
      fetch: wrapFetch ? wrapFetch(fetch) : fetch,
      clock,
      navigate: (url) => {
        pendingLogin = url;
        for (const listener of [...navigationListeners]) listener(url);
      },
    }),
  );
  session.onEvent((event) => void events.push(event));

  // Login is asynchronous (PKCE hashing, lazy oidc-client-ts): completeLogin waits for it.
  const nextNavigation = (timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error('completeLogin(): the app did not start a login'));
      }, timeoutMs);
      const stop = auth.onNavigate((url) => {
        clearTimeout(timer);
        stop();
        resolve(url);
      });
    });
  const takePendingLogin = (): string => {
    const url = pendingLogin;
    if (!url) throw new Error('createTestCozeAuth: the app has not started a sign-in');
    pendingLogin = undefined;
    return url;
  };

  const auth: TestCozeAuth = {
    model,
    session,
    clock,
    fetch,
    user,
    clientOptions: { axiosOptions: { adapter: 'fetch', env: { fetch } } },
    events,
    get pendingLogin() {
      return pendingLogin;
    },
    onNavigate(listener) {
      navigationListeners.add(listener);
      return () => void navigationListeners.delete(listener);
    },
    decide(decision) {
      const url = takePendingLogin();
      return decision === 'approve' ? model.approve(url) : model.deny(url);
    },
    async prepareCallback({ returnTo = '/', decision = 'approve' } = {}) {
      await session.login({ returnTo });
      return auth.decide(decision);
    },
    async completeLogin({ deny = false } = {}) {
      if (!pendingLogin) await nextNavigation(5_000);
      const callbackUrl = await auth.decide(deny ? 'deny' : 'approve');
      await session.handleRedirectCallback(callbackUrl).catch(() => undefined);
      await flushAsync();
    },
    async expireSession() {
      model.revokeAll();
      const expiresAt = session.getSnapshot().expiresAt;
      if (expiresAt !== undefined) clock.set(Math.max(clock.now(), expiresAt + 1000));
      await session.getToken().catch(() => undefined);
      await flushAsync();
    },
  };

  if (state !== 'signed-out' && !seeded) {
    await session.handleRedirectCallback(await auth.prepareCallback());
    model.resetCounters();
    events.length = 0;
  }
  if (state === 'expired') await auth.expireSession();
  return auth;
}
