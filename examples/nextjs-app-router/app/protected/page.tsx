import { RequireCozeAuth } from 'react-coze-auth';
import { TokenExpiry } from './TokenExpiry';

// A server component that uses the guard straight from the package: RequireCozeAuth is a client
// component ('use client' in the package), so it renders here like any other.
export default function ProtectedPage() {
  return (
    <RequireCozeAuth>
      <h1 data-testid="protected">Protected content</h1>
      <TokenExpiry />
    </RequireCozeAuth>
  );
}
