import { useState, type ReactNode } from 'react';
import type { StoryAuth } from './storyAuth';

export interface CozeConsentPageProps {
  auth: StoryAuth;
  authorizeUrl: string;
  onDecision(decision: 'approve' | 'deny'): Promise<void>;
}

/**
 * What Coze shows after the app redirects to its authorize URL. The decision goes to the fake
 * Coze model (`approve` / `deny`), which answers with the callback URL the browser returns to.
 */
export function CozeConsentPage({ auth, authorizeUrl, onDecision }: CozeConsentPageProps): ReactNode {
  const [busy, setBusy] = useState(false);
  const clientId = new URL(authorizeUrl).searchParams.get('client_id') ?? 'unknown app';
  const decide = (decision: 'approve' | 'deny') => {
    setBusy(true);
    onDecision(decision).catch(() => setBusy(false));
  };
  return (
    <div className="coze-consent">
      <div className="coze-consent-card" role="region" aria-labelledby="coze-consent-title">
        <div className="coze-consent-brand">
          <span className="coze-consent-logo" aria-hidden="true" />
          <span>Coze</span>
        </div>
        <h1 id="coze-consent-title">Authorize “Test app”</h1>
        <p className="coze-consent-sub">
          <strong>Test app</strong> ({clientId}) wants to use Coze on your behalf.
        </p>
        <div className="coze-consent-account">
          <img src={auth.user.avatar_url} alt="" width={36} height={36} />
          <div>
            <div className="coze-consent-name">{auth.user.nick_name}</div>
            <div className="coze-consent-handle">@{auth.user.user_name}</div>
          </div>
        </div>
        <ul className="coze-consent-scopes">
          <li>Read your profile</li>
          <li>List your workspaces</li>
          <li>Call Coze OpenAPI (bots, chat, workflows) as you</li>
        </ul>
        <div className="coze-consent-actions">
          <button type="button" className="demo-btn" disabled={busy} onClick={() => decide('deny')}>
            Cancel
          </button>
          <button type="button" className="demo-btn demo-btn-primary" disabled={busy} onClick={() => decide('approve')}>
            Authorize
          </button>
        </div>
        <p className="coze-consent-foot">Simulated by the in-memory Coze of react-coze-auth/testing.</p>
      </div>
    </div>
  );
}
