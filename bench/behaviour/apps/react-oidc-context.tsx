// react-oidc-context (oidc-client-ts UserManager) against the standard OAuth server, library defaults
// (automaticSilentRenew on; signinSilent uses the refresh token when there is one).
import { useEffect } from 'react';
import { AuthProvider, useAuth } from 'react-oidc-context';
import { config, countRenders, exposeControls, mount, settleAll, useReportToken } from './harness';

function Harness() {
  const auth = useAuth();
  useReportToken(auth.user?.access_token);
  const { signinRedirect, signinSilent } = auth;
  useEffect(() => {
    exposeControls({
      login: () => void signinRedirect(),
      // No getToken(): the documented way to get a fresh token is signinSilent().
      requestTokens: (n) => settleAll(n, async () => (await signinSilent())?.access_token),
      tokenApi: 'signinSilent()',
    });
  }, [signinRedirect, signinSilent]);
  return null;
}

function ClientConsumer() {
  // What a component reads to call an API with the token.
  const auth = useAuth();
  return countRenders(<span data-client={auth.user ? 'ready' : 'none'} />);
}

// Created once: the consumer re-renders only when the library makes it.
const consumer = <ClientConsumer />;

mount(
  <AuthProvider
    authority={config.idpOrigin}
    client_id={config.clientId}
    redirect_uri={config.redirectUri}
    scope="openid offline_access"
    onSigninCallback={() => history.replaceState(null, '', new URL(config.homeUrl).pathname)}
  >
    <Harness />
    {consumer}
  </AuthProvider>,
);
