import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { useContext, useState, type ReactNode } from 'react';
import { useCozeQueryCleanup } from './useCozeQueryCleanup.js';

/** Props of {@link CozeQueryProvider}. */
export interface CozeQueryProviderProps {
  children?: ReactNode;
  /**
   * TanStack Query client for `useCozeQuery`. Default: the one from a surrounding
   * `QueryClientProvider`, else a client created for this provider.
   */
  queryClient?: QueryClient;
}

/**
 * The TanStack Query side of react-coze-auth: renders inside `<CozeAuthProvider>`, gives
 * `useCozeQuery` a query client (yours, a surrounding one, or its own) and removes a sign-in's
 * cached Coze queries when it ends (see `useCozeQueryCleanup`). Apps that never call `useCozeQuery` leave it out, and
 * with it TanStack Query.
 *
 * @example
 * <CozeAuthProvider clientId="…" redirectUri="…">
 *   <CozeQueryProvider>
 *     <App />
 *   </CozeQueryProvider>
 * </CozeAuthProvider>
 */
export function CozeQueryProvider({ children, queryClient: queryClientProp }: CozeQueryProviderProps): ReactNode {
  const surrounding = useContext(QueryClientContext);
  const [own] = useState(() => (queryClientProp || surrounding ? undefined : new QueryClient()));
  const queryClient = queryClientProp ?? surrounding ?? (own as QueryClient);
  useCozeQueryCleanup(queryClient);
  if (queryClient === surrounding) return children;
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
