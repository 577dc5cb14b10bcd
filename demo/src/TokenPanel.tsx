import { useEffect, useState } from 'react';
import { useCozeToken } from 'react-coze-auth';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

export function TokenPanel() {
  const { expiresAt, isRefreshing, error, refresh } = useCozeToken();
  const now = useNow(250);
  const [lifetime, setLifetime] = useState<number>();
  useEffect(() => {
    if (expiresAt) setLifetime(Math.max(1, expiresAt - Date.now()));
  }, [expiresAt]);
  const remaining = expiresAt ? Math.max(0, expiresAt - now) : 0;
  const share = lifetime ? Math.min(1, remaining / lifetime) : 0;

  return (
    <section className="card" aria-labelledby="token-title">
      <h2 id="token-title">Access token</h2>
      <p className="countdown" data-testid="countdown">
        {Math.ceil(remaining / 1000)} s<span className="muted"> until expiry</span>
      </p>
      <div className="meter" role="progressbar" aria-label="Token lifetime left" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
        <div className="meter-fill" style={{ width: `${share * 100}%` }} />
      </div>
      <p className="muted small">
        {isRefreshing ? 'Refreshing…' : 'Refreshes silently before it expires.'}
        {error ? ` Last refresh problem: ${error.code}, retrying.` : ''}
      </p>
      <button type="button" className="button ghost" onClick={() => void refresh().catch(() => undefined)} disabled={isRefreshing}>
        Refresh now
      </button>
    </section>
  );
}
