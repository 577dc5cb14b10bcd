import { useEffect, useRef, type ReactNode } from 'react';
import type { CozeAuthError } from '../core/errors.js';
import { AuthErrorNotice } from './AuthErrorNotice.js';
import { useCozeSession } from './context.js';
import { useCozeAuth } from './useCozeAuth.js';

/** Props of {@link RequireCozeAuth}. */
export interface RequireCozeAuthProps {
  children?: ReactNode;
  /** Shown while signing in or redirecting. Default: a polite status line. */
  fallback?: ReactNode;
  /** Renders an auth error (the guard stops there; it never redirects after an error). */
  error?: (error: CozeAuthError, actions: { login(): Promise<void> }) => ReactNode;
  /** Redirect to Coze automatically when signed out. Default `true`. */
  autoRedirect?: boolean;
  /** Where to come back to. Default: the current page. */
  returnTo?: string;
}

/**
 * Renders `children` only when signed in. Signed out, it starts sign-in once; after an error it
 * renders the error instead of redirecting again, so an error can never become a redirect loop.
 */
export function RequireCozeAuth(props: RequireCozeAuthProps): ReactNode {
  const { autoRedirect = true, returnTo } = props;
  const session = useCozeSession();
  const { isAuthenticated, status, error } = useCozeAuth();
  const redirected = useRef(false);
  const shouldRedirect = autoRedirect && !isAuthenticated && status === 'signed-out' && !error;

  useEffect(() => {
    if (!shouldRedirect || redirected.current) return;
    // The render may be stale: a <CozeCallback> effect that ran first may have started signing in.
    const live = session.getSnapshot();
    if (live.status !== 'signed-out' || live.error) return;
    redirected.current = true;
    session.login(returnTo === undefined ? {} : { returnTo }).catch(() => undefined);
  }, [shouldRedirect, session, returnTo]);

  if (isAuthenticated) return props.children;
  const login = () => {
    // login() clears the error before it navigates; without this the guard would start a second sign-in.
    redirected.current = true;
    return session.login(returnTo === undefined ? {} : { returnTo });
  };
  if (error) {
    return props.error ? props.error(error, { login }) : <AuthErrorNotice error={error} login={login} />;
  }
  return props.fallback ?? (
    <p role="status" aria-live="polite">
      Signing you in…
    </p>
  );
}
