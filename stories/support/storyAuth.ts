import { QueryClient } from '@tanstack/react-query';
import { createTestCozeAuth, type TestCozeAuth, type TestCozeAuthOptions } from '../../src/testing/index';
import { STORY_USER, STORY_WORKSPACES } from './fixtures';

/** Options of {@link createStoryAuth}: those of `createTestCozeAuth`, plus the refresh skew. */
export interface StoryAuthOptions extends TestCozeAuthOptions {
  /** `refreshSkewSeconds` of the session. Default: the library's (60 s, capped at ¼ of the lifetime). */
  refreshSkewSeconds?: number;
}

/**
 * The public test kit's `TestCozeAuth` (react-coze-auth/testing: model, session, clock, pending
 * login, event log), plus what only stories need: a query cache and a clock that follows real time.
 */
export interface StoryAuth extends TestCozeAuth {
  /** The story's TanStack Query cache (short retry delays, so failures show quickly). */
  readonly queryClient: QueryClient;
  /** Lets the story's clock follow real time (so countdowns and silent refresh run). Returns stop. */
  startRealtime(): () => void;
}

/** Builds a {@link StoryAuth} in the requested state, as Ada with her workspaces unless told otherwise. */
export async function createStoryAuth({ refreshSkewSeconds, ...options }: StoryAuthOptions = {}): Promise<StoryAuth> {
  const user = { ...STORY_USER, ...options.user };
  const auth = await createTestCozeAuth({
    ...options,
    user,
    model: { workspaces: { [user.user_id]: [...STORY_WORKSPACES] }, ...options.model },
    session: { refreshSkewSeconds, ...options.session },
  });
  return Object.assign(auth, {
    // useCozeQuery brings its own retry rule (3 tries for transient errors); short delays keep stories snappy.
    queryClient: new QueryClient({ defaultOptions: { queries: { retry: false, retryDelay: 300 } } }),
    startRealtime() {
      let last = Date.now();
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        const now = Date.now();
        const elapsed = now - last;
        last = now;
        void auth.clock.advance(elapsed).finally(() => {
          busy = false;
        });
      }, 1000);
      return () => clearInterval(timer);
    },
  });
}
