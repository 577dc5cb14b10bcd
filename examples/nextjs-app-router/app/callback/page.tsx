import { CozeCallback } from 'react-coze-auth';

// The redirect URI's page (a server component rendering the package's client component). The
// server and the first browser render show "Signing you in…"; in the browser it then completes
// sign-in once and leaves for the page the user came from through the provider's
// onRedirectCallback (Next's router.replace).
export default function CallbackPage() {
  return <CozeCallback />;
}
