import { RequireCozeAuth, useCozeToken } from 'react-coze-auth';

export function ProtectedPage() {
  return (
    <RequireCozeAuth>
      <h1 data-testid="protected">Protected content</h1>
      <TokenExpiry />
    </RequireCozeAuth>
  );
}

function TokenExpiry() {
  const { expiresAt } = useCozeToken();
  return (
    <p>
      Access token valid until <time data-testid="expires-at">{expiresAt ? new Date(expiresAt).toISOString() : '—'}</time>
    </p>
  );
}
