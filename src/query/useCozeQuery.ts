import type { CozeAPI } from '@coze/api';
import { QueryClientContext, useQuery, type QueryFunctionContext, type UseQueryOptions, type UseQueryResult } from '@tanstack/react-query';
import { useContext } from 'react';
import { getCozeClient, isCozeUnauthorized } from '../core/cozeClient.js';
import { isCozeAuthError } from '../core/errors.js';
import type { CozeAuthState } from '../core/session/types.js';
import { useCozeAuthContext } from '../react/context.js';
import { useCozeSelector } from '../react/useCozeSelector.js';
import { cozeQueryKey } from './queryKeys.js';
import { useCozeQueryCleanup } from './useCozeQueryCleanup.js';

/** Options of {@link useCozeQuery}: TanStack Query's, minus the key and function it builds. */
export type UseCozeQueryOptions<TData, TError = Error> = Omit<UseQueryOptions<TData, TError, TData, readonly unknown[]>, 'queryKey' | 'queryFn'>;

const DEFAULT_RETRIES = 3;
const selectSessionId = (state: CozeAuthState): string | undefined => state.sessionId;

/**
 * A TanStack `useQuery` over the Coze client. The key is namespaced per signed-in session, the
 * query waits until signed in, and a 401 from Coze forces one token refresh and one retry (in the client).
 *
 * Needs `<CozeQueryProvider>` (or a `QueryClientProvider` plus `useCozeQueryCleanup()`).
 *
 * @example
 * const me = useCozeQuery(['users', 'me'], (client) => client.users.me());
 */
export function useCozeQuery<TData, TError = Error>(
  key: readonly unknown[],
  queryFn: (client: CozeAPI, context: QueryFunctionContext<readonly unknown[]>) => Promise<TData>,
  options: UseCozeQueryOptions<TData, TError> = {},
): UseQueryResult<TData, TError> {
  const { session, clientOptions } = useCozeAuthContext();
  if (!useContext(QueryClientContext)) {
    throw new Error('react-coze-auth: useCozeQuery needs <CozeQueryProvider> (or your QueryClientProvider) inside <CozeAuthProvider>.');
  }
  // The session id only: a token refresh must not re-render query consumers. Servers and
  // hydration see no session (as useCozeAuth sees `loading`): the query starts after hydration.
  const sessionId = useCozeSelector(selectSessionId);
  useCozeQueryCleanup();
  const client = getCozeClient(session, clientOptions);
  const { placeholderData } = options;
  return useQuery<TData, TError, TData, readonly unknown[]>({
    retry: (failureCount, error) =>
      !(isCozeAuthError(error) && !error.isTransient) && !isCozeUnauthorized(error) && failureCount < DEFAULT_RETRIES,
    ...options,
    queryKey: cozeQueryKey(sessionId, key),
    enabled: sessionId !== undefined && (options.enabled ?? true),
    // Placeholder data never crosses sign-ins: not after sign-out, not from another user's query.
    placeholderData:
      typeof placeholderData === 'function'
        ? (previous, previousQuery) =>
            previousQuery?.queryKey[1] === sessionId
              ? (placeholderData as (...args: [typeof previous, typeof previousQuery]) => typeof previous)(previous, previousQuery)
              : undefined
        : sessionId === undefined
          ? undefined
          : placeholderData,
    // A 401 was already renewed and retried once by the client itself; what reaches here is final.
    queryFn: (context) => queryFn(client, context),
  });
}
