// Not a library: the least a Coze sign-in can do in the same React app, as the yardstick for the
// latency rows. The PKCE pair and state are made when the page loads, so the click only calls
// location.assign; on the callback page the code exchange (Coze's JSON body: preflight + POST)
// starts while the entry script is evaluated, before React renders anything. No error handling,
// no refresh, no storage of the tokens: a measuring stick, not an example.
import { useEffect, useState } from 'react';
import { config, isCallback, mount, SIGN_IN_ID, SignedIn } from './harness';

const KEY = 'bench-reference.';
const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
const random = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

let authorizeUrl: string | undefined;
async function prepare(): Promise<void> {
  const state = random();
  const verifier = random();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(KEY + state, verifier);
  const url = new URL(`${config.cozeWebOrigin}/api/permission/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  authorizeUrl = url.href;
}

function exchange(): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const verifier = sessionStorage.getItem(KEY + (params.get('state') ?? ''));
  return fetch(`${config.cozeApiOrigin}/api/permission/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      code: params.get('code'),
      code_verifier: verifier,
    }),
  }).then(async (response) => response.ok && typeof ((await response.json()) as { access_token?: unknown }).access_token === 'string');
}

const signedIn = isCallback ? exchange() : undefined;
if (!isCallback) void prepare();

function App() {
  const [done, setDone] = useState(false);
  useEffect(() => void signedIn?.then(setDone), []);
  return (
    <>
      <button id={SIGN_IN_ID} type="button" onClick={() => authorizeUrl && location.assign(authorizeUrl)}>
        Sign in
      </button>
      <SignedIn when={done} />
    </>
  );
}

mount(<App />);
