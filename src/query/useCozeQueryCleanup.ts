import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useCozeSession } from '../react/context.js';
import { COZE_QUERY_SCOPE } from './queryKeys.js';

/**
 * Removes every cached Coze query (`[COZE_QUERY_SCOPE, …]`) from `queryClient` when the session
 * signs out, in this tab or another. `<CozeQueryProvider>` calls it; call it yourself when you
 * render your own `QueryClientProvider` and no `<CozeQueryProvider>`.
 *
 * @param queryClient Default: the one from the surrounding `QueryClientProvider`.
 */
export function useCozeQueryCleanup(queryClient?: QueryClient): void {
  const session = useCozeSession();
  const client = useQueryClient(queryClient);
  useEffect(
    () =>
      session.onEvent((event) => {
        // The next user of this browser must never see the previous user's data.
        if (event.type === 'signed-out') client.removeQueries({ queryKey: [COZE_QUERY_SCOPE] });
      }),
    [session, client],
  );
}
