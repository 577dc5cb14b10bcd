import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useCozeSession } from '../react/context.js';
import { COZE_QUERY_SCOPE } from './queryKeys.js';

/**
 * Removes a session's cached Coze queries (`[COZE_QUERY_SCOPE, sessionId, …]`) from `queryClient`
 * when that sign-in ends: signed out here or in another tab, or replaced by another user's sign-in.
 * Other sessions' queries in the same client stay. `<CozeQueryProvider>` calls it for the app's
 * lifetime, and every `useCozeQuery` while it is mounted (so an app's own `QueryClientProvider`
 * is covered too); call it yourself to cover a client with no Coze query mounted.
 *
 * @param queryClient Default: the one from the surrounding `QueryClientProvider`.
 */
export function useCozeQueryCleanup(queryClient?: QueryClient): void {
  const session = useCozeSession();
  const client = useQueryClient(queryClient);
  useEffect(() => {
    // The next user of this browser must never see the previous user's data.
    let current = session.getSnapshot().sessionId;
    return session.subscribe(() => {
      const next = session.getSnapshot().sessionId;
      if (current !== undefined && next !== current) client.removeQueries({ queryKey: [COZE_QUERY_SCOPE, current] });
      current = next;
    });
  }, [session, client]);
}
