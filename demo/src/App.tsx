import { CozeCallback, CozeLoginButton, useCozeAuth } from 'react-coze-auth';
import { ChatPanel } from './components/ChatPanel';
import { demoConfig } from './config';
import { authStatusLabel } from './components/describeAuthEvent';
import { EventLog } from './components/EventLog';
import { ProfileCard } from './components/ProfileCard';
import { StorageModeSwitch } from './components/StorageModeSwitch';
import { TokenPanel } from './components/TokenPanel';
import { usePath } from './usePath';
import { WorkspaceList } from './components/WorkspaceList';

export function App() {
  const path = usePath();
  const { status, isAuthenticated, error, logout, clearError } = useCozeAuth();

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">◆</span>
          <span>react-coze-auth</span>
          <span className="mode">{demoConfig.mode === 'local' ? 'local Coze' : 'coze'}</span>
        </div>
        <div className="topbar-actions">
          <StorageModeSwitch />
          <span className={`chip chip-${status}`} data-testid="status">
            {authStatusLabel(status)}
          </span>
          {isAuthenticated ? (
            <button type="button" className="button ghost" onClick={logout}>
              Sign out
            </button>
          ) : null}
        </div>
      </header>

      <main className="content">
        {path === '/callback' ? (
          <section className="card narrow">
            <CozeCallback
              loading={<p className="muted" role="status">Completing sign-in with Coze…</p>}
              error={(err, { login }) => (
                <div role="alert" className="error-box">
                  <h2>Sign-in did not complete</h2>
                  <p>{err.message}</p>
                  <p className="muted">Code: {err.code}</p>
                  <button type="button" className="button primary" onClick={() => void login()}>
                    Try again
                  </button>
                </div>
              )}
            />
          </section>
        ) : isAuthenticated ? (
          <div className="grid">
            <ProfileCard />
            <TokenPanel />
            <WorkspaceList />
            <EventLog />
            <ChatPanel botId={demoConfig.botId} />
          </div>
        ) : (
          <section className="card hero">
            <h1>Sign in to Coze from a single-page app</h1>
            <p className="muted">
              OAuth 2.0 Authorization Code with PKCE, silent refresh and the official <code>@coze/api</code> client.
              {demoConfig.mode === 'local'
                ? ' This demo talks to the local Coze-compatible server: no account needed.'
                : ' This demo talks to Coze itself.'}
            </p>
            {error ? (
              <div role="alert" className="error-box">
                <p>
                  <strong>{error.code === 'invalid_grant' ? 'Your session ended.' : 'Something went wrong.'}</strong> {error.message}
                </p>
                <button type="button" className="button ghost" onClick={clearError}>
                  Dismiss
                </button>
              </div>
            ) : null}
            <CozeLoginButton className="button primary large" returnTo="/" />
          </section>
        )}
      </main>
      <footer className="footer muted">
        Tokens live in sessionStorage for this tab; refresh happens in the background before expiry.
      </footer>
    </div>
  );
}
