import { useContext, useEffect, useState, type ReactNode } from 'react';
import { useCozeSession, useCozeToken } from 'react-coze-auth';
import { NowContext, useNow } from './useNow';

function formatRemaining(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The access token's life from `useCozeToken`: status, expiry countdown, silent and manual refresh. */
export function TokenPanel(): ReactNode {
  const { status, expiresAt, isRefreshing, error, refresh } = useCozeToken();
  const session = useCozeSession();
  const now = useNow(250);
  const clockNow = useContext(NowContext);
  const [refreshes, setRefreshes] = useState(0);
  const [lifetime, setLifetime] = useState<number>();

  useEffect(
    () =>
      session.onEvent((event) => {
        if (event.type === 'refreshed') setRefreshes((count) => count + 1);
      }),
    [session],
  );
  useEffect(() => {
    // The lifetime of this token, measured when it arrives, scales the meter.
    if (expiresAt !== undefined) setLifetime(Math.max(1, expiresAt - clockNow()));
  }, [expiresAt, clockNow]);

  const remaining = expiresAt === undefined ? 0 : Math.max(0, expiresAt - now);
  const share = lifetime ? Math.min(1, remaining / lifetime) : 0;

  return (
    <section className="demo-card" aria-labelledby="token-title">
      <h2 id="token-title" className="demo-card-title">
        Access token
        <span className={`demo-chip demo-chip-${status}`} data-testid="token-status">
          {status}
        </span>
      </h2>
      {expiresAt === undefined ? (
        <p className="demo-muted">No token: sign in to get one.</p>
      ) : (
        <>
          <p className="demo-countdown" data-testid="countdown">
            {formatRemaining(remaining)}
            <span className="demo-muted"> until expiry</span>
          </p>
          <div
            className="demo-meter"
            role="progressbar"
            aria-label="Token lifetime left"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(share * 100)}
          >
            <div className="demo-meter-fill" style={{ width: `${share * 100}%` }} />
          </div>
          <dl className="demo-facts">
            <div>
              <dt>Expires at</dt>
              <dd>{new Date(expiresAt).toLocaleTimeString('en-GB')}</dd>
            </div>
            <div>
              <dt>Refreshed</dt>
              <dd data-testid="refresh-count">
                {refreshes} time{refreshes === 1 ? '' : 's'}
              </dd>
            </div>
          </dl>
        </>
      )}
      <p className="demo-muted demo-small" role="status" data-testid="refresh-state">
        {isRefreshing
          ? 'Refreshing…'
          : error?.isTransient
            ? `Last refresh failed (${error.code}); retrying with backoff. The current token still works.`
            : status === 'signed-in'
              ? 'Refreshes silently a minute (at most ¼ of its life) before it expires.'
              : ''}
      </p>
      <button
        type="button"
        className="demo-btn"
        onClick={() => void refresh().catch(() => undefined)}
        disabled={isRefreshing || status !== 'signed-in'}
      >
        Refresh now
      </button>
    </section>
  );
}
