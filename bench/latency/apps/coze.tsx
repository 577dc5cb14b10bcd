// react-coze-auth against the fake Coze server: the library's own button (prefetches the sign-in
// code on hover and focus) and callback component, and its session state for the marker.
import { CozeAuthProvider, CozeCallback, CozeLoginButton, useCozeAuth } from '../../../src/index';
import { config, isCallback, mount, SIGN_IN_ID, SignedIn } from './harness';

function App() {
  const { status } = useCozeAuth();
  return (
    <>
      {isCallback ? <CozeCallback /> : <CozeLoginButton id={SIGN_IN_ID} returnTo={new URL(config.homeUrl).pathname} />}
      <SignedIn when={status === 'signed-in'} />
    </>
  );
}

mount(
  <CozeAuthProvider
    clientId={config.clientId}
    redirectUri={config.redirectUri}
    baseURL={config.cozeApiOrigin}
    webBaseURL={config.cozeWebOrigin}
    onRedirectCallback={(returnTo) => history.replaceState(null, '', returnTo)}
  >
    <App />
  </CozeAuthProvider>,
);
