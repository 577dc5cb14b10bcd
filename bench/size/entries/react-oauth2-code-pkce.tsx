// react-oauth2-code-pkce: the provider completes the callback by itself on load.
import { useContext } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthContext, AuthProvider, type TAuthConfig } from 'react-oauth2-code-pkce';

const authConfig: TAuthConfig = {
  clientId: 'bench-client',
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  redirectUri: `${location.origin}/callback`,
  scope: 'openid offline_access',
  autoLogin: false,
};

function App() {
  const { token, logIn } = useContext(AuthContext);
  return (
    <>
      <button type="button" onClick={() => logIn()}>
        Sign in
      </button>
      <output>{token}</output>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <AuthProvider authConfig={authConfig}>
    <App />
  </AuthProvider>,
);
