import { CozeCallback } from 'react-coze-auth';

// Completes sign-in once, then the provider's onRedirectCallback navigates to `returnTo`.
export function CallbackPage() {
  return <CozeCallback />;
}
