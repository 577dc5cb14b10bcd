import { createStoryAuth, type StoryAuth, type StoryAuthOptions } from './storyAuth';

/** What a story's loader hands to `render` and `play` (as `context.loaded`). */
export interface LoadedAuth {
  auth: StoryAuth;
  /** A callback URL prepared by the loader, for `<CozeCallback>` stories. */
  callbackUrl?: string;
}

/**
 * A Storybook loader: a fresh session against a fresh in-memory Coze for every render, so stories
 * never share state. `prepare` runs after it is built (start a sign-in, inject a failure, …).
 */
export function authLoader(
  options: StoryAuthOptions = {},
  prepare?: (auth: StoryAuth) => Promise<Partial<LoadedAuth> | void> | Partial<LoadedAuth> | void,
): () => Promise<LoadedAuth> {
  return async () => {
    const auth = await createStoryAuth(options);
    const extra = (await prepare?.(auth)) ?? {};
    return { auth, ...extra };
  };
}

/** The loaded {@link LoadedAuth} of a story context. */
export function loadedAuth(context: { loaded: Record<string, unknown> }): LoadedAuth {
  const loaded = context.loaded as Partial<LoadedAuth>;
  if (!loaded.auth) throw new Error('This story needs an authLoader(): context.loaded.auth is missing.');
  return loaded as LoadedAuth;
}
