// react-oauth2-code-pkce against the standard OAuth server, library defaults; the provider
// completes the callback by itself on load.
import { useContext } from 'react';
import { AuthContext, AuthProvider, type TAuthConfig } from 'react-oauth2-code-pkce';
import { config, mount, SIGN_IN_ID, SignedIn } from './harness';

const authConfig: TAuthConfig = {
  clientId: config.clientId,
  authorizationEndpoint: `${config.idpOrigin}/authorize`,
  tokenEndpoint: `${config.idpOrigin}/token`,
  redirectUri: config.redirectUri,
  scope: 'openid offline_access',
  autoLogin: false,
};

function App() {
  const { token, logIn } = useContext(AuthContext);
  return (
    <>
      <button id={SIGN_IN_ID} type="button" onClick={() => logIn()}>
        Sign in
      </button>
      <SignedIn when={!!token} />
    </>
  );
}

mount(
  <AuthProvider authConfig={authConfig}>
    <App />
  </AuthProvider>,
);
