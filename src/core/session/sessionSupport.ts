import { CozeAuthError } from '../errors.js';

// Small helpers of CozeSession that need none of its state.

export function toCozeAuthError(error: unknown): CozeAuthError {
  if (error instanceof CozeAuthError) return error;
  return new CozeAuthError('authorization_error', 'Sign-in failed unexpectedly.', { cause: error });
}

/** Reports an app listener's exception without letting it change the session's course. */
export function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (report) report(error);
  else globalThis.setTimeout(() => { throw error; }, 0);
}

/** A lazily loaded chunk: `load()` fetches it once per page; `loaded` holds it once it has arrived. */
export interface ChunkLoader<T> {
  (): Promise<T>;
  loaded: T | undefined;
}

/** Loads a chunk on first call; a failed download is a `network_error`, tried again on the next call. */
export function chunkLoader<T>(load: () => Promise<T>, what: string): ChunkLoader<T> {
  let pending: Promise<T> | undefined;
  const loader: ChunkLoader<T> = Object.assign(
    () =>
      (pending ??= load().then(
        (chunk) => (loader.loaded = chunk),
        (cause: unknown) => {
          pending = undefined;
          throw new CozeAuthError('network_error', `Could not load the ${what}.`, { cause });
        },
      )),
    { loaded: undefined },
  );
  return loader;
}

/** The sign-in flow, with oidc-client-ts (the bundler fetches its chunks together). */
export const loadSignInFlow = chunkLoader(() => import('./signInFlow.js'), 'sign-in code');
