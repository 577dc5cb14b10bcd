import { QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { CozeQueryProvider } from '../../query/CozeQueryProvider.js';
import { CozeAuthProvider, type CozeAuthProviderProps } from '../../react/CozeAuthProvider.js';
import { createTestCozeAuth, type TestCozeAuth, type TestCozeAuthOptions } from './createTestCozeAuth.js';

/** Props of {@link MockCozeAuthProvider}: a ready {@link TestCozeAuth}, or options to build one. */
export type MockCozeAuthProviderProps = {
  children?: ReactNode;
  /** Shown while an `auth` built from options is being prepared. Default: nothing. */
  fallback?: ReactNode;
  /** Query client for `useCozeQuery`; default: a fresh one without retries (tests should fail fast). */
  queryClient?: QueryClient;
  /** How `<CozeCallback>` leaves the callback route; see `CozeAuthProvider`. */
  onRedirectCallback?: (returnTo: string) => void;
  /** Language of the components; see `CozeAuthProvider`. */
  locale?: CozeAuthProviderProps['locale'];
  /** Overrides for the components' text; see `CozeAuthProvider`. */
  messages?: CozeAuthProviderProps['messages'];
} & ({ auth: TestCozeAuth } | (TestCozeAuthOptions & { auth?: undefined }));

/**
 * `<CozeAuthProvider>` (and `<CozeQueryProvider>`) backed by an in-memory fake Coze: renders an app "signed in as X",
 * signed out, or with an expired session, in one line. The real hooks, components and
 * `CozeAPI` client run against it.
 *
 * @example
 * render(<MockCozeAuthProvider user={{ nick_name: 'Grace' }}><Profile /></MockCozeAuthProvider>);
 * expect(await screen.findByText('Grace')).toBeVisible();
 */
export function MockCozeAuthProvider(props: MockCozeAuthProviderProps): ReactNode {
  const { children, fallback = null, queryClient: queryClientProp, onRedirectCallback, locale, messages, auth: givenAuth, ...options } = props;
  const [auth, setAuth] = useState<TestCozeAuth | undefined>(givenAuth);
  const [queryClient] = useState(
    () => queryClientProp ?? new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } }),
  );
  const [initialOptions] = useState(options as TestCozeAuthOptions);
  useEffect(() => {
    if (givenAuth) return;
    let active = true;
    void createTestCozeAuth(initialOptions).then((created) => {
      if (active) setAuth(created);
    });
    return () => {
      active = false;
    };
  }, [givenAuth, initialOptions]);
  const current = givenAuth ?? auth;
  if (!current) return fallback;
  return (
    <CozeAuthProvider
      session={current.session}
      clientOptions={current.clientOptions}
      onRedirectCallback={onRedirectCallback}
      locale={locale}
      messages={messages}
    >
      <CozeQueryProvider queryClient={queryClient}>{children}</CozeQueryProvider>
    </CozeAuthProvider>
  );
}
