import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CozeAuthOptions } from '../core/config.js';
import type { CozeClientOptions } from '../core/cozeClient.js';
import { CozeSession } from '../core/session/CozeSession.js';
import { CozeAuthContext, type CozeAuthContextValue } from './context.js';
import { COZE_QUERY_SCOPE } from './queryKeys.js';

/** Props of {@link CozeAuthProvider}: the {@link CozeAuthOptions} plus React wiring. */
export interface CozeAuthProviderProps extends Partial<CozeAuthOptions> {
  children?: ReactNode;
  /**
   * TanStack Query client for `useCozeQuery`. Default: the one from a surrounding
   * `QueryClientProvider`, else a client created for this provider.
   */
  queryClient?: QueryClient;
  /**
   * How to leave the callback route once signed in. Default: `history.replaceState` to `returnTo`
   * plus a `popstate` event, which client-side routers listen to. Pass your router's navigate.
   */
  onRedirectCallback?: (returnTo: string) => void;
  /** Extra `CozeAPI` options for `useCozeClient` (headers, debug, axios options); read once. */
  clientOptions?: CozeClientOptions;
  /** Use an existing session (tests, or sharing one with non-React code); options are then ignored. */
  session?: CozeSession;
}

/**
 * Wraps the app root. Creates one {@link CozeSession} (once, even under StrictMode), starts its
 * timers and listeners while mounted, and removes every cached Coze query when the session ends.
 */
export function CozeAuthProvider(props: CozeAuthProviderProps): ReactNode {
  const { children, queryClient: queryClientProp, onRedirectCallback, session: sessionProp, clientOptions, ...options } = props;
  const [session] = useState(
    () => sessionProp ?? new CozeSession({ ...options, clientId: options.clientId ?? '', redirectUri: options.redirectUri ?? '' }),
  );
  const surroundingQueryClient = useContext(QueryClientContext);
  const [ownQueryClient] = useState(() => (queryClientProp || surroundingQueryClient ? undefined : new QueryClient()));
  const queryClient = queryClientProp ?? surroundingQueryClient ?? (ownQueryClient as QueryClient);

  useEffect(() => session.mount(), [session]);
  useEffect(
    () =>
      session.onEvent((event) => {
        // The next user of this browser must never see the previous user's data.
        if (event.type === 'signed-out') queryClient.removeQueries({ queryKey: [COZE_QUERY_SCOPE] });
      }),
    [session, queryClient],
  );

  const value = useMemo<CozeAuthContextValue>(
    () => ({ session, onRedirectCallback, clientOptions }),
    [session, onRedirectCallback, clientOptions],
  );
  const content = <CozeAuthContext.Provider value={value}>{children}</CozeAuthContext.Provider>;
  if (queryClient === surroundingQueryClient) return content;
  return <QueryClientProvider client={queryClient}>{content}</QueryClientProvider>;
}
