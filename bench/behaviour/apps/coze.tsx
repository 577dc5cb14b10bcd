// react-coze-auth against the fake Coze server (src/testing), which speaks Coze's own protocol.
import { useEffect } from 'react';
import { CozeAuthProvider, CozeCallback, useCozeClient, useCozeSession, useCozeToken } from '../../../src/index';
import { config, countRenders, exposeControls, isCallback, mount, settleAll, useReportToken } from './harness';

function Harness() {
  const session = useCozeSession();
  const { accessToken } = useCozeToken();
  useReportToken(accessToken);
  useEffect(() => {
    exposeControls({
      login: () => void session.login({ returnTo: new URL(config.homeUrl).pathname }),
      requestTokens: (n) => settleAll(n, () => session.getToken()),
      tokenApi: 'getToken()',
    });
  }, [session]);
  return null;
}

function ClientConsumer() {
  const client = useCozeClient();
  return countRenders(<span data-client={client ? 'ready' : 'none'} />);
}

// Created once: the consumer re-renders only when the library makes it.
const consumer = <ClientConsumer />;

mount(
  <CozeAuthProvider
    clientId={config.clientId}
    redirectUri={config.redirectUri}
    baseURL={config.cozeApiOrigin}
    webBaseURL={config.cozeWebOrigin}
    onRedirectCallback={(returnTo) => history.replaceState(null, '', returnTo)}
  >
    {isCallback ? <CozeCallback /> : null}
    <Harness />
    {consumer}
  </CozeAuthProvider>,
);
