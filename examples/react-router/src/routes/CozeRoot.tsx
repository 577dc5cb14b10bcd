import { useCallback } from 'react';
import { Link, Outlet, useNavigate } from 'react-router';
import { CozeAuthProvider, CozeLoginButton, useCozeAuth } from 'react-coze-auth';
import { session } from '../coze';

/**
 * Layout route around every page: the Coze provider with the shared session, leaving /callback
 * through the router (`navigate(to, { replace: true })`, so Back never returns to the used callback).
 */
export function CozeRoot() {
  const navigate = useNavigate();
  const onRedirectCallback = useCallback((to: string) => void navigate(to, { replace: true }), [navigate]);
  return (
    <CozeAuthProvider session={session} onRedirectCallback={onRedirectCallback}>
      <header style={{ display: 'flex', gap: '1rem', alignItems: 'center' }}>
        <nav style={{ display: 'flex', gap: '1rem' }}>
          <Link to="/">Home</Link>
          <Link to="/protected">Protected</Link>
          <Link to="/profile">Profile</Link>
        </nav>
        <AuthStatus />
      </header>
      <main>
        <Outlet />
      </main>
    </CozeAuthProvider>
  );
}

function AuthStatus() {
  const { status, isAuthenticated, logout } = useCozeAuth();
  const navigate = useNavigate();
  return (
    <p style={{ marginLeft: 'auto' }}>
      <span data-testid="status">{status}</span>{' '}
      {isAuthenticated ? (
        <button
          type="button"
          onClick={() => {
            logout();
            void navigate('/');
          }}
        >
          Sign out
        </button>
      ) : (
        <CozeLoginButton data-testid="login" />
      )}
    </p>
  );
}
