'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useState, type ReactNode } from 'react';
import { CozeAuthProvider, CozeQueryProvider } from 'react-coze-auth';
import { cozeConfig } from './cozeConfig';

/**
 * The client side of the app root: one QueryClient per browser session (per request on the
 * server), the Coze provider, which leaves /callback through Next's router, and the Coze query
 * binding, which removes cached Coze data when the user signs out.
 */
export function Providers({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [queryClient] = useState(() => new QueryClient());
  // Stable, so the provider's context value does not change on every render.
  const onRedirectCallback = useCallback((returnTo: string) => router.replace(returnTo), [router]);
  return (
    <QueryClientProvider client={queryClient}>
      <CozeAuthProvider {...cozeConfig} onRedirectCallback={onRedirectCallback}>
        <CozeQueryProvider>{children}</CozeQueryProvider>
      </CozeAuthProvider>
    </QueryClientProvider>
  );
}
