// @axa-fr/react-oidc against the standard OAuth server, without its service worker (it would need
// OidcServiceWorker.js copied into the app and a trusted-domains file), library defaults otherwise.
import { OidcClient, OidcProvider, useOidc, useOidcAccessToken } from '@axa-fr/react-oidc';
import { useEffect } from 'react';
import { config, countRenders, exposeControls, mount, settleAll, useReportToken } from './harness';

function Harness() {
  const { login } = useOidc();
  const { accessToken } = useOidcAccessToken();
  useReportToken(typeof accessToken === 'string' ? accessToken : undefined);
  useEffect(() => {
    exposeControls({
      login: () => void login(new URL(config.homeUrl).pathname),
      requestTokens: (n) =>
        settleAll(n, async () => {
          const client = OidcClient.get();
          if (!client) throw new Error('no OidcClient');
          const valid = await client.getValidTokenAsync();
          return valid.tokens?.accessToken as string | undefined;
        }),
      tokenApi: 'getValidTokenAsync()',
    });
  }, [login]);
  return null;
}

function ClientConsumer() {
  const { accessToken } = useOidcAccessToken();
  return countRenders(<span data-client={accessToken ? 'ready' : 'none'} />);
}

// Created once: the consumer re-renders only when the library makes it.
const consumer = <ClientConsumer />;

mount(
  <OidcProvider
    configuration={{
      authority: config.idpOrigin,
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      scope: 'openid offline_access',
    }}
  >
    <Harness />
    {consumer}
  </OidcProvider>,
);
