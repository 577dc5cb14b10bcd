// react-oidc-context (oidc-client-ts UserManager) against the standard OAuth server, library defaults.
import { AuthProvider, useAuth } from 'react-oidc-context';
import { config, mount, SIGN_IN_ID, SignedIn } from './harness';

function App() {
  const auth = useAuth();
  return (
    <>
      <button id={SIGN_IN_ID} type="button" onClick={() => void auth.signinRedirect()}>
        Sign in
      </button>
      <SignedIn when={auth.isAuthenticated} />
    </>
  );
}

mount(
  <AuthProvider
    authority={config.idpOrigin}
    client_id={config.clientId}
    redirect_uri={config.redirectUri}
    scope="openid offline_access"
    onSigninCallback={() => history.replaceState(null, '', new URL(config.homeUrl).pathname)}
  >
    <App />
  </AuthProvider>,
);
