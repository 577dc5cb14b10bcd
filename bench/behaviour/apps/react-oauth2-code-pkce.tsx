// react-oauth2-code-pkce against the standard OAuth server, library defaults.
import { useContext, useEffect } from 'react';
import { AuthContext, AuthProvider, type TAuthConfig } from 'react-oauth2-code-pkce';
import { config, countRenders, exposeControls, mount, settleAll, useReportToken } from './harness';

const authConfig: TAuthConfig = {
  clientId: config.clientId,
  authorizationEndpoint: `${config.idpOrigin}/authorize`,
  tokenEndpoint: `${config.idpOrigin}/token`,
  redirectUri: config.redirectUri,
  scope: 'openid offline_access',
  autoLogin: false,
};

function Harness() {
  const { token, logIn, refreshAccessToken } = useContext(AuthContext);
  useReportToken(token || undefined);
  useEffect(() => {
    exposeControls({
      login: () => logIn(),
      // No getToken(): callers can only read `token` or force refreshAccessToken() (typed void, returns a promise).
      requestTokens: (n) =>
        settleAll(n, async () => {
          await (refreshAccessToken() as unknown as Promise<void>);
          return undefined;
        }),
      tokenApi: 'refreshAccessToken()',
      returnsToken: false,
    });
  }, [logIn, refreshAccessToken]);
  return null;
}

function ClientConsumer() {
  const { token } = useContext(AuthContext);
  return countRenders(<span data-client={token ? 'ready' : 'none'} />);
}

// Created once: the consumer re-renders only when the library makes it.
const consumer = <ClientConsumer />;

mount(
  <AuthProvider authConfig={authConfig}>
    <Harness />
    {consumer}
  </AuthProvider>,
);
