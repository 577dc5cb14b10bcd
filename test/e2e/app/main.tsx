import { QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CozeAuthProvider, CozeQueryProvider, CozeSession, type CozeAuthOptions } from 'react-coze-auth';
import { App } from './App';
import './probe';
import { readEnv, readFlags } from './config';

const root = createRoot(document.getElementById('root') as HTMLElement);
const env = readEnv();
const flags = readFlags();

if (!env) {
  root.render(<p data-testid="config-error">window.__COZE_E2E_ENV__ is missing: open this app through the e2e harness.</p>);
} else {
  const options: CozeAuthOptions = {
    clientId: env.clientId,
    redirectUri: `${window.location.origin}/callback`,
    baseURL: env.apiOrigin,
    webBaseURL: env.webOrigin,
    tokenStorage: flags.storage,
    ...(flags.skew === undefined ? {} : { refreshSkewSeconds: flags.skew }),
  };
  let core: CozeSession | undefined;
  if (window.__e2e) window.__e2e.coreSession = () => (core ??= new CozeSession(options));
  const queryClient = new QueryClient();
  const app = (
    <CozeAuthProvider {...options}>
      <CozeQueryProvider queryClient={queryClient}>
        <App flags={flags} />
      </CozeQueryProvider>
    </CozeAuthProvider>
  );
  root.render(flags.strict ? <StrictMode>{app}</StrictMode> : app);
}
