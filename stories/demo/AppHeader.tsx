import type { ReactNode } from 'react';
import { useCozeAuth, useCozeQuery } from '../../src/index';

/** The app's top bar: who is signed in (same query key as the profile card: one request) and Sign out. */
export function AppHeader(): ReactNode {
  const { isAuthenticated, logout } = useCozeAuth();
  const me = useCozeQuery(['users', 'me'], (client) => client.users.me());
  return (
    <header className="demo-header">
      <div className="demo-brand">
        <span className="demo-brand-mark" aria-hidden="true" />
        Bot Studio
      </div>
      {isAuthenticated ? (
        <div className="demo-account">
          {me.data ? (
            <>
              <img src={me.data.avatar_url} alt="" width={28} height={28} />
              <span className="demo-account-name">{me.data.nick_name}</span>
            </>
          ) : null}
          <button type="button" className="demo-btn demo-btn-small" onClick={logout}>
            Sign out
          </button>
        </div>
      ) : null}
    </header>
  );
}
