// @auth0/auth0-react (auth0-spa-js) against the standard OAuth server, configured as in the
// behaviour bench (refresh tokens, localStorage cache); the provider completes the callback itself.
import { Auth0Provider, useAuth0 } from '@auth0/auth0-react';
import { config, mount, SIGN_IN_ID, SignedIn } from './harness';

function App() {
  const { isAuthenticated, loginWithRedirect } = useAuth0();
  return (
    <>
      <button id={SIGN_IN_ID} type="button" onClick={() => void loginWithRedirect()}>
        Sign in
      </button>
      <SignedIn when={isAuthenticated} />
    </>
  );
}

mount(
  <Auth0Provider
    domain={config.idpOrigin}
    clientId={config.clientId}
    authorizationParams={{ redirect_uri: config.redirectUri, scope: 'openid offline_access' }}
    useRefreshTokens
    cacheLocation="localstorage"
    onRedirectCallback={() => history.replaceState(null, '', new URL(config.homeUrl).pathname)}
  >
    <App />
  </Auth0Provider>,
);
