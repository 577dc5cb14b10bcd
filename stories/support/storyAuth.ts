import { QueryClient } from '@tanstack/react-query';
import { CozeSession, createMemoryStorage, type CozeAuthEvent } from '../../src/index';
import {
  TEST_API_ORIGIN,
  TEST_CLIENT_ID,
  TEST_WEB_ORIGIN,
  createTestCozeAuth,
  flushAsync,
  type CozeModel,
  type CozeUser,
  type TestAuthState,
  type TestClock,
  type TestCozeAuthOptions,
} from '../../src/testing/index';
import { STORY_USER, STORY_WORKSPACES } from './fixtures';

/** Options of {@link createStoryAuth}: those of `createTestCozeAuth`, plus the refresh skew. */
export interface StoryAuthOptions extends TestCozeAuthOptions {
  /** `refreshSkewSeconds` of the session. Default: the library's (60 s, capped at ¼ of the lifetime). */
  refreshSkewSeconds?: number;
}

/**
 * A signed-in (or signed-out, or expired) session against the in-memory Coze model, for stories.
 *
 * The model, clock, `fetch` and `CozeAPI` options come from `createTestCozeAuth`
 * (react-coze-auth/testing). The session is a plain `CozeSession` wired to them, whose `navigate`
 * is observable: stories show Coze's consent page when the app leaves for it, and callback
 * stories need the authorize URL to let the model answer it.
 */
export interface StoryAuth {
  /** The fake Coze server (counters, failures, revocation, latency). */
  readonly model: CozeModel;
  /** The session the story's `<CozeAuthProvider session={…}>` uses. */
  readonly session: CozeSession;
  /** The session's and the model's clock; moves only when advanced (see `startRealtime`). */
  readonly clock: TestClock;
  /** `CozeAPI` options that route the client's requests to the model. */
  readonly clientOptions: { axiosOptions: Record<string, unknown> };
  /** The user signed in at the fake Coze. */
  readonly user: CozeUser;
  /** The story's TanStack Query cache (short retry delays, so failures show quickly). */
  readonly queryClient: QueryClient;
  /** The authorize URL the app last left for and Coze has not answered yet. */
  readonly pendingLogin: string | undefined;
  /** Called whenever the app leaves for Coze's authorize page (the page itself never leaves). */
  onNavigate(listener: (authorizeUrl: string) => void): () => void;
  /** Coze's answer to the pending login (Authorize or Cancel): the callback URL to return to. */
  decide(decision: 'approve' | 'deny'): Promise<string>;
  /** Starts a sign-in for `returnTo` and lets Coze answer it; the callback is left for the app. */
  prepareCallback(options?: { returnTo?: string; decision?: 'approve' | 'deny' }): Promise<string>;
  /** Completes the pending login without the app's callback route (consent + code exchange). */
  completeLogin(options?: { deny?: boolean }): Promise<void>;
  /** Coze revokes every token; the next refresh is rejected and the session ends (`invalid_grant`). */
  expireSession(): Promise<void>;
  /** Lets the story's clock follow real time (so countdowns and silent refresh run). Returns stop. */
  startRealtime(): () => void;
  /** Every lifecycle event since the session was created. */
  readonly events: readonly CozeAuthEvent[];
}

/** Builds a {@link StoryAuth} in the requested state; `signed-in` goes through a real PKCE sign-in. */
export async function createStoryAuth(options: StoryAuthOptions = {}): Promise<StoryAuth> {
  const state: TestAuthState = options.state ?? 'signed-in';
  const user: CozeUser = { ...STORY_USER, ...options.user };
  const base = await createTestCozeAuth({
    ...options,
    state: 'signed-out',
    user,
    model: { workspaces: { [user.user_id]: [...STORY_WORKSPACES] }, ...options.model },
  });
  const { model, clock } = base;

  let pendingLogin: string | undefined;
  const navigationListeners = new Set<(url: string) => void>();
  const events: CozeAuthEvent[] = [];
  const session = new CozeSession({
    clientId: TEST_CLIENT_ID,
    redirectUri: `${globalThis.location.origin}/callback`,
    baseURL: TEST_API_ORIGIN,
    webBaseURL: TEST_WEB_ORIGIN,
    tokenStorage: createMemoryStorage(),
    refreshSkewSeconds: options.refreshSkewSeconds,
    fetch: base.fetch,
    clock,
    navigate: (url) => {
      pendingLogin = url;
      for (const listener of [...navigationListeners]) listener(url);
    },
  });
  session.onEvent((event) => void events.push(event));

  const takePendingLogin = (): string => {
    const url = pendingLogin;
    if (!url) throw new Error('story auth: the app has not started a sign-in');
    pendingLogin = undefined;
    return url;
  };

  const auth: StoryAuth = {
    model,
    session,
    clock,
    clientOptions: base.clientOptions,
    user: base.user,
    // useCozeQuery brings its own retry rule (3 tries for transient errors); short delays keep stories snappy.
    queryClient: new QueryClient({ defaultOptions: { queries: { retry: false, retryDelay: 300 } } }),
    get pendingLogin() {
      return pendingLogin;
    },
    events,
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
    startRealtime() {
      let last = Date.now();
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        const now = Date.now();
        const elapsed = now - last;
        last = now;
        void clock.advance(elapsed).finally(() => {
          busy = false;
        });
      }, 1000);
      return () => clearInterval(timer);
    },
  };

  if (state !== 'signed-out') {
    await auth.prepareCallback({ returnTo: '/' }).then((callbackUrl) => session.handleRedirectCallback(callbackUrl));
    model.resetCounters();
    events.length = 0;
  }
  if (state === 'expired') await auth.expireSession();
  return auth;
}
