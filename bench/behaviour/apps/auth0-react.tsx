// @auth0/auth0-react (auth0-spa-js) against the standard OAuth server. Refresh tokens on (without
// them auth0-spa-js renews through a hidden iframe at /authorize?prompt=none, which only Auth0
// serves), cached in localStorage so no Web Worker sits between the page and the token endpoint.
import { Auth0Provider, useAuth0 } from '@auth0/auth0-react';
import { useEffect, useState } from 'react';
import { config, countRenders, exposeControls, mount, settleAll, useReportToken } from './harness';

function Harness() {
  const { isAuthenticated, loginWithRedirect, getAccessTokenSilently } = useAuth0();
  const [token, setToken] = useState<string>();
  useReportToken(token);
  useEffect(() => {
    if (isAuthenticated) void getAccessTokenSilently().then(setToken);
  }, [isAuthenticated, getAccessTokenSilently]);
  useEffect(() => {
    exposeControls({
      login: () => void loginWithRedirect(),
      requestTokens: (n) => settleAll(n, () => getAccessTokenSilently()),
      tokenApi: 'getAccessTokenSilently()',
    });
  }, [loginWithRedirect, getAccessTokenSilently]);
  return null;
}

function ClientConsumer() {
  const { isAuthenticated } = useAuth0();
  return countRenders(<span data-client={isAuthenticated ? 'ready' : 'none'} />);
}

// Created once: the consumer re-renders only when the library makes it.
const consumer = <ClientConsumer />;

mount(
  <Auth0Provider
    domain={config.idpOrigin}
    clientId={config.clientId}
    authorizationParams={{ redirect_uri: config.redirectUri, scope: 'openid offline_access' }}
    useRefreshTokens
    cacheLocation="localstorage"
    onRedirectCallback={() => history.replaceState(null, '', new URL(config.homeUrl).pathname)}
  >
    <Harness />
    {consumer}
  </Auth0Provider>,
);
