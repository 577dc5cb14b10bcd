// @auth0/auth0-react (auth0-spa-js): the provider completes the callback by itself.
import { Auth0Provider, useAuth0 } from '@auth0/auth0-react';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  const { isAuthenticated, loginWithRedirect, getAccessTokenSilently } = useAuth0();
  const [token, setToken] = useState<string>();
  useEffect(() => {
    if (isAuthenticated) void getAccessTokenSilently().then(setToken);
  }, [isAuthenticated, getAccessTokenSilently]);
  return (
    <>
      <button type="button" onClick={() => void loginWithRedirect()}>
        Sign in
      </button>
      <output>{token}</output>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <Auth0Provider domain="idp.example.com" clientId="bench-client" authorizationParams={{ redirect_uri: `${location.origin}/callback` }}>
    <App />
  </Auth0Provider>,
);
