// react-oidc-context (oidc-client-ts UserManager): the provider completes the callback by itself.
import { createRoot } from 'react-dom/client';
import { AuthProvider, useAuth } from 'react-oidc-context';

function App() {
  const auth = useAuth();
  if (auth.isLoading) return <p>Signing you in…</p>;
  return (
    <>
      <button type="button" onClick={() => void auth.signinRedirect()}>
        Sign in
      </button>
      <output>{auth.user?.access_token}</output>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <AuthProvider
    authority="https://idp.example.com"
    client_id="bench-client"
    redirect_uri={`${location.origin}/callback`}
    onSigninCallback={() => history.replaceState(null, '', '/')}
  >
    <App />
  </AuthProvider>,
);
