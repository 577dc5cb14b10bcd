import { CozeSession } from '../../core/session/CozeSession.js';
import { createMemoryStorage } from '../../core/storage/storageAdapters.js';
import { TokenStore } from '../../core/storage/tokenStore.js';
import type { FetchLike } from '../../core/protocol/tokenClient.js';
import { createCozeModel } from '../server/createCozeModel.js';
import { initialsAvatarUrl } from '../server/defaultFixtures.js';
import { NETWORK_ERROR } from '../server/networkError.js';
import type { CozeModel, CozeModelOptions, CozeUser } from '../server/types.js';
import { createTestClock, flushAsync, type TestClock } from '../testClock.js';

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
}

/** A self-contained fake Coze sign-in for component tests: no network, no MSW, controllable time. */
export interface TestCozeAuth {
  /** The fake Coze server (counters, failures, revocation). */
  model: CozeModel;
  /** The session under test; pass it to `<CozeAuthProvider session={…}>` or use `<MockCozeAuthProvider>`. */
  session: CozeSession;
  /** The session's and the model's clock. */
  clock: TestClock;
  /** `fetch` that answers from the model (use it for hand-rolled requests in tests). */
  fetch: FetchLike;
  /** `CozeAPI` options that send the client's requests to the model (axios `fetch` adapter). */
  clientOptions: { axiosOptions: Record<string, unknown> };
  /** The user signed in at the fake Coze. */
  user: CozeUser;
  /** Completes a login the app started (`login()` / `<CozeLoginButton>`): consent, callback, exchange. */
  completeLogin(options?: { deny?: boolean }): Promise<void>;
  /** Ends the session the way Coze would: every token revoked, the next refresh rejected. */
  expireSession(): Promise<void>;
}

export const TEST_API_ORIGIN = 'https://api.coze.test';
export const TEST_WEB_ORIGIN = 'https://www.coze.test';
export const TEST_CLIENT_ID = 'test-client';

const DEFAULT_TEST_USER: CozeUser = {
  user_id: 'user-test-1',
  user_name: 'ada',
  nick_name: 'Ada Lovelace',
  avatar_url: initialsAvatarUrl('AL'),
};

function modelFetch(model: CozeModel): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    const answer = await model.handle(request);
    if (answer === NETWORK_ERROR) throw new TypeError('Failed to fetch');
    if (!answer) throw new TypeError(`Failed to fetch (no fake Coze route for ${new URL(request.url).pathname})`);
    return answer;
  };
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
  const origin = globalThis.location?.origin ?? 'http://localhost';
  const redirectUri = `${origin}/callback`;
  const model = createCozeModel({
    ...options.model,
    apiOrigin: TEST_API_ORIGIN,
    webOrigin: TEST_WEB_ORIGIN,
    clients: [{ clientId: TEST_CLIENT_ID, name: 'Test app', redirectUris: [redirectUri] }],
    users: [user, ...(options.model?.users ?? []).filter((u) => u.user_id !== user.user_id)],
    signedInUserId: user.user_id,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? options.model?.accessTokenTtlSeconds ?? 900,
    now: clock.now,
  });
  const fetch = modelFetch(model);
  const storage = createMemoryStorage();
  if (state !== 'signed-out') {
    const tokens = model.issueTokens({ clientId: TEST_CLIENT_ID, userId: user.user_id });
    // Seed storage the way a completed callback would have left it.
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
  // Login is asynchronous (PKCE hashing, lazy oidc-client-ts): completeLogin waits for it.
  const navigations: string[] = [];
  let onNavigate: ((url: string) => void) | undefined;
  const nextNavigation = (timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('completeLogin(): the app did not start a login')), timeoutMs);
      onNavigate = (url) => {
        clearTimeout(timer);
        resolve(url);
      };
    });
  const session = new CozeSession({
    clientId: TEST_CLIENT_ID,
    redirectUri,
    baseURL: TEST_API_ORIGIN,
    webBaseURL: TEST_WEB_ORIGIN,
    tokenStorage: storage,
    fetch,
    clock,
    navigate: (url) => {
      navigations.push(url);
      onNavigate?.(url);
      onNavigate = undefined;
    },
  });

  const auth: TestCozeAuth = {
    model,
    session,
    clock,
    fetch,
    user,
    clientOptions: { axiosOptions: { adapter: 'fetch', env: { fetch } } },
    async completeLogin({ deny = false } = {}) {
      const authorizeUrl = navigations.pop() ?? (await nextNavigation(5_000));
      navigations.length = 0;
      const callbackUrl = deny ? await model.deny(authorizeUrl) : await model.approve(authorizeUrl);
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

  if (state === 'expired') await auth.expireSession();
  return auth;
}
