/* eslint-disable @typescript-eslint/ban-ts-comment -- the next line is removed when this template is installed */
// @ts-nocheck: checked in the consumer project scripts/check-package.mjs creates (it drops these two lines); the repo's own typecheck has no packed package to resolve.
// A small app written only against the published API, as a user would write it.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  COZE_CN_BASE_URL,
  CozeAuthProvider,
  CozeCallback,
  CozeLoginButton,
  CozeQueryProvider,
  CozeSession,
  RequireCozeAuth,
  isCozeAuthError,
  useCozeAuth,
  useCozeClient,
  useCozeQuery,
  useCozeToken,
  type CozeAuthError,
  type CozeAuthState,
  type CozeAuthProviderProps,
} from 'react-coze-auth';

function Profile() {
  const me = useCozeQuery(['me'], (client) => client.users.me());
  if (me.isPending) return <p>Loading…</p>;
  if (me.isError) return <p role="alert">{isCozeAuthError(me.error) ? me.error.code : 'Request failed'}</p>;
  return <p>Signed in as {me.data.nick_name}</p>;
}

function Workspaces() {
  const client = useCozeClient();
  const [names, setNames] = useState<string[]>([]);
  const load = async () => {
    const page = await client.workspaces.list();
    setNames(page.workspaces.map((workspace) => workspace.name));
  };
  return (
    <>
      <button type="button" onClick={() => void load()}>
        Load workspaces
      </button>
      <ul>
        {names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
    </>
  );
}

function TokenExpiry() {
  const { expiresAt, getToken } = useCozeToken();
  const [token, setToken] = useState<string>();
  return (
    <p>
      Expires {expiresAt === undefined ? 'never' : new Date(expiresAt).toISOString()}{' '}
      <button type="button" onClick={() => void getToken().then(setToken)}>
        Fresh token ({token?.length ?? 0} chars)
      </button>
    </p>
  );
}

function Header() {
  const auth = useCozeAuth();
  const state: CozeAuthState = auth;
  const error: CozeAuthError | undefined = auth.error;
  return (
    <header>
      {state.isAuthenticated ? (
        <button type="button" onClick={auth.logout}>
          Sign out
        </button>
      ) : (
        <CozeLoginButton returnTo="/" onError={(cause) => console.warn(cause.code)} />
      )}
      {error ? <p role="alert">{error.message}</p> : null}
    </header>
  );
}

function App() {
  if (location.pathname === '/callback') {
    return <CozeCallback onError={(error) => console.warn(error.code)} loading={<p>Signing you in…</p>} />;
  }
  return (
    <>
      <Header />
      <RequireCozeAuth fallback={<p>Please sign in.</p>}>
        <Profile />
        <Workspaces />
        <TokenExpiry />
      </RequireCozeAuth>
    </>
  );
}

const props: CozeAuthProviderProps = {
  clientId: 'consumer-client-id',
  redirectUri: `${location.origin}/callback`,
  baseURL: COZE_CN_BASE_URL,
  tokenStorage: 'sessionStorage',
};

// The framework-agnostic core is public too.
const session = new CozeSession({ clientId: 'consumer-client-id', redirectUri: `${location.origin}/callback` });
void session.getToken().catch((error: unknown) => (isCozeAuthError(error) ? error.code : 'unknown'));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CozeAuthProvider {...props}>
      <CozeQueryProvider>
        <App />
      </CozeQueryProvider>
    </CozeAuthProvider>
  </StrictMode>,
);
