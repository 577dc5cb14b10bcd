// @axa-fr/react-oidc: the provider renders its own callback route at the redirect_uri path.
import { OidcProvider, useOidc, useOidcAccessToken } from '@axa-fr/react-oidc';
import { createRoot } from 'react-dom/client';

function App() {
  const { login } = useOidc();
  const { accessToken } = useOidcAccessToken();
  return (
    <>
      <button type="button" onClick={() => void login()}>
        Sign in
      </button>
      <output>{accessToken}</output>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <OidcProvider
    configuration={{
      authority: 'https://idp.example.com',
      client_id: 'bench-client',
      redirect_uri: `${location.origin}/callback`,
      scope: 'openid offline_access',
    }}
  >
    <App />
  </OidcProvider>,
);
