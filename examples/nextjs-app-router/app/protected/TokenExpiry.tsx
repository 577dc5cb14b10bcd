'use client';

import { useCozeToken } from 'react-coze-auth';

export function TokenExpiry() {
  const { expiresAt, isRefreshing } = useCozeToken();
  return (
    <p>
      Access token valid until <time data-testid="expires-at">{expiresAt ? new Date(expiresAt).toISOString() : '—'}</time>
      {isRefreshing ? ' (refreshing…)' : null}
    </p>
  );
}
