import { useSearchParams } from 'react-router';
import { CozeLoginButton } from 'react-coze-auth';

// Where loaders send signed-out users. `returnTo` comes from the URL; the library only accepts
// same-origin paths (anything else fails with `unsafe_return_to`).
export function LoginPage() {
  const [params] = useSearchParams();
  return (
    <>
      <h1>Sign in</h1>
      <CozeLoginButton data-testid="login-for-page" returnTo={params.get('returnTo') ?? '/'} />
    </>
  );
}
