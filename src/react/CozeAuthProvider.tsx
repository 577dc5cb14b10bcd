import { useEffect, useMemo, type ReactNode } from 'react';
import type { CozeAuthOptions } from '../core/config.js';
import type { CozeClientOptions } from '../core/cozeClient.js';
import { CozeSession } from '../core/session/CozeSession.js';
import type { CozeAuthState } from '../core/session/types.js';
import { CozeAuthContext, type CozeAuthContextValue } from './context.js';
import { CozeMessagesContext, useMessagesValue } from './i18n/context.js';
import { useSessionSelector } from './useCozeSelector.js';
import type { CozeAuthMessageOverrides } from './i18n/types.js';

/** What {@link CozeAuthProvider} takes besides the session or its options: the React wiring. */
export interface CozeAuthProviderCommonProps {
  children?: ReactNode;
  /**
   * How to leave the callback route once signed in. Default: `history.replaceState` to `returnTo`
   * plus a `popstate` event, which client-side routers listen to. Pass your router's navigate.
   */
  onRedirectCallback?: (returnTo: string) => void;
  /** Extra `CozeAPI` options for `useCozeClient` (headers, debug, axios options); read once. */
  clientOptions?: CozeClientOptions;
  /**
   * Language of the components' text: `'en'`, `'zh-CN'` (any `zh*` tag), or any tag (English
   * unless `messages` says otherwise). Default: `en` on a server and while hydrating, then the
   * browser's preferred language.
   */
  locale?: 'en' | 'zh-CN' | (string & {});
  /** Replaces any of the components' strings (keep the object stable, e.g. a module constant). */
  messages?: CozeAuthMessageOverrides;
}

/**
 * Props of {@link CozeAuthProvider}: an existing `session` (tests, or one shared with non-React
 * code), or the {@link CozeAuthOptions} to build one from (`clientId` and `redirectUri` required),
 * plus {@link CozeAuthProviderCommonProps}.
 */
export type CozeAuthProviderProps = CozeAuthProviderCommonProps &
  (({ session: CozeSession } & { [Option in keyof CozeAuthOptions]?: never }) | (CozeAuthOptions & { session?: undefined }));

/**
 * One session per set of options. Built during render (its constructor only reads; timers and
 * listeners start in `mount()`), memoised on the options' values — not with a render-phase state
 * update, which would make React 18 re-read external stores with client snapshots while hydrating.
 * Changed options build a new session (the old one unmounts) instead of being silently ignored.
 */
function useSessionFor(sessionProp: CozeSession | undefined, options: Partial<CozeAuthOptions>): CozeSession {
  const { clientId = '', redirectUri = '', baseURL, webBaseURL, workspaceId, codeChallengeMethod, tokenStorage, refreshSkewSeconds } = options;
  // A URL object made inline is new on every render: its href is what identifies it.
  const workerUrl = options.workerUrl === undefined ? undefined : String(options.workerUrl);
  const built = useMemo(
    () =>
      sessionProp
        ? undefined
        : new CozeSession({ clientId, redirectUri, baseURL, webBaseURL, workspaceId, codeChallengeMethod, tokenStorage, refreshSkewSeconds, workerUrl }),
    [sessionProp, clientId, redirectUri, baseURL, webBaseURL, workspaceId, codeChallengeMethod, tokenStorage, refreshSkewSeconds, workerUrl],
  );
  return sessionProp ?? (built as CozeSession);
}

const isSignedOut = (state: CozeAuthState) => state.status === 'signed-out';

/**
 * While signed out, fetches the sign-in code when the browser is idle, so the click on "Sign in"
 * does not wait for it. Signed-in users never load it; the first render never waits for it.
 */
function usePrefetchWhileSignedOut(session: CozeSession): void {
  const signedOut = useSessionSelector(session, isSignedOut);
  useEffect(() => {
    if (!signedOut) return;
    const prefetch = () => session.prefetchSignIn();
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(prefetch, { timeout: 5_000 });
      return () => cancelIdleCallback(id);
    }
    const timer = setTimeout(prefetch, 1_000);
    return () => clearTimeout(timer);
  }, [signedOut, session]);
}

/**
 * Wraps the app root. Creates one {@link CozeSession} (once, even under StrictMode) and starts its
 * timers and listeners while mounted. It knows only the session: `useCozeQuery` needs
 * `<CozeQueryProvider>` inside it as well.
 */
export function CozeAuthProvider(props: CozeAuthProviderProps): ReactNode {
  const { children, onRedirectCallback, session: sessionProp, clientOptions, locale, messages, ...options } = props;
  const session = useSessionFor(sessionProp, options);
  const messagesValue = useMessagesValue(locale, messages);

  useEffect(() => session.mount(), [session]);
  usePrefetchWhileSignedOut(session);

  const value = useMemo<CozeAuthContextValue>(
    () => ({ session, onRedirectCallback, clientOptions }),
    [session, onRedirectCallback, clientOptions],
  );
  return (
    <CozeAuthContext.Provider value={value}>
      <CozeMessagesContext.Provider value={messagesValue}>{children}</CozeMessagesContext.Provider>
    </CozeAuthContext.Provider>
  );
}
