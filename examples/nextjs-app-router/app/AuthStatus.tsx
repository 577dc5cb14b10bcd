'use client';

import { CozeLoginButton, useCozeAuth } from 'react-coze-auth';

/** Sign-in state in the header: a login button, or a sign-out button. */
export function AuthStatus() {
  const { status, isAuthenticated, logout } = useCozeAuth();
  return (
    <p style={{ marginLeft: 'auto' }}>
      <span data-testid="status">{status}</span>{' '}
      {isAuthenticated ? (
        <button type="button" onClick={logout}>
          Sign out
        </button>
      ) : (
        <CozeLoginButton data-testid="login" />
      )}
    </p>
  );
}
