// The same job in every entry: mount the provider, a login button, the callback route, and read a
// token. Imported from src (not the package name) so the root typecheck needs no build first.
import { createRoot } from 'react-dom/client';
import { CozeAuthProvider, CozeCallback, CozeLoginButton, useCozeToken } from '../../../src/index';

function Token() {
  const { accessToken } = useCozeToken();
  return <output>{accessToken}</output>;
}

function App() {
  if (location.pathname === '/callback') return <CozeCallback />;
  return (
    <>
      <CozeLoginButton />
      <Token />
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <CozeAuthProvider clientId="bench-client" redirectUri={`${location.origin}/callback`} baseURL="https://api.coze.cn">
    <App />
  </CozeAuthProvider>,
);
