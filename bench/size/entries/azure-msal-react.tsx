// @azure/msal-react (+ @azure/msal-browser): the provider handles the redirect promise by itself.
import { PublicClientApplication } from '@azure/msal-browser';
import { MsalProvider, useMsal } from '@azure/msal-react';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

const scopes = ['api://bench/read'];
const msal = new PublicClientApplication({
  auth: { clientId: 'bench-client', authority: 'https://login.microsoftonline.com/common', redirectUri: `${location.origin}/callback` },
});

function App() {
  const { instance, accounts } = useMsal();
  const [token, setToken] = useState<string>();
  const account = accounts[0];
  useEffect(() => {
    if (account) void instance.acquireTokenSilent({ scopes, account }).then((result) => setToken(result.accessToken));
  }, [instance, account]);
  return (
    <>
      <button type="button" onClick={() => void instance.loginRedirect({ scopes })}>
        Sign in
      </button>
      <output>{token}</output>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <MsalProvider instance={msal}>
    <App />
  </MsalProvider>,
);
