// @axa-fr/react-oidc against the standard OAuth server, without its service worker (as in the
// behaviour bench); the provider renders its own callback route at the redirect_uri path.
import { OidcProvider, useOidc } from '@axa-fr/react-oidc';
import { config, mount, SIGN_IN_ID, SignedIn } from './harness';

function App() {
  const { login, isAuthenticated } = useOidc();
  return (
    <>
      <button id={SIGN_IN_ID} type="button" onClick={() => void login(new URL(config.homeUrl).pathname)}>
        Sign in
      </button>
      <SignedIn when={isAuthenticated} />
    </>
  );
}

mount(
  <OidcProvider
    configuration={{
      authority: config.idpOrigin,
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      scope: 'openid offline_access',
    }}
  >
    <App />
  </OidcProvider>,
);
