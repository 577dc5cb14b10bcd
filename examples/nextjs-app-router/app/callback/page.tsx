import { Callback } from './Callback';

// The redirect URI's page: completes sign-in once, then leaves for the page the user came from
// through the provider's onRedirectCallback (Next's router.replace).
export default function CallbackPage() {
  return <Callback />;
}
