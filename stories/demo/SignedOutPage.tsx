import type { ReactNode } from 'react';
import { CozeLoginButton, useCozeAuth } from '../../src/index';

const SESSION_ENDED = new Set(['invalid_grant', 'session_expired']);

/** What a signed-out visitor sees: why they are signed out (if something ended the session) and the sign-in button. */
export function SignedOutPage({ returnTo = '/' }: { returnTo?: string }): ReactNode {
  const { error, clearError } = useCozeAuth();
  const ended = error !== undefined && SESSION_ENDED.has(error.code);
  return (
    <section className="demo-hero" aria-labelledby="signed-out-title">
      <h1 id="signed-out-title">{ended ? 'Your Coze session has ended' : 'Build bots with your Coze account'}</h1>
      <p className="demo-muted">
        {ended
          ? 'Coze no longer accepts this sign-in (it was revoked or expired). Sign in again to pick up where you left off.'
          : 'Bot Studio signs in with Coze OAuth (PKCE): no password ever reaches this app.'}
      </p>
      {error ? (
        <div role="alert" className="demo-banner" data-error-code={error.code}>
          <span>
            <strong>{error.code}</strong> {error.message}
          </span>
          <button type="button" className="demo-btn demo-btn-small" onClick={clearError}>
            Dismiss
          </button>
        </div>
      ) : null}
      <CozeLoginButton className="demo-btn demo-btn-primary demo-btn-large" returnTo={returnTo}>
        {ended ? 'Sign in again' : 'Sign in with Coze'}
      </CozeLoginButton>
    </section>
  );
}
