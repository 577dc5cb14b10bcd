import type { CozeAuthOptions } from 'react-coze-auth';

/**
 * Coze settings from the environment. Next inlines `process.env.NEXT_PUBLIC_*` into the client
 * bundle at build time, so each one must be written out in full (no `process.env[name]`).
 * The provider also renders on the server, where there is no `window.location`: the redirect URI
 * has to be a configured absolute URL.
 */
export const cozeConfig: CozeAuthOptions = {
  clientId: required('NEXT_PUBLIC_COZE_CLIENT_ID', process.env.NEXT_PUBLIC_COZE_CLIENT_ID),
  redirectUri: required('NEXT_PUBLIC_COZE_REDIRECT_URI', process.env.NEXT_PUBLIC_COZE_REDIRECT_URI),
  baseURL: process.env.NEXT_PUBLIC_COZE_BASE_URL || undefined,
  webBaseURL: process.env.NEXT_PUBLIC_COZE_WEB_BASE_URL || undefined,
  // `worker`: the refresh token lives in the package's SharedWorker vault, never on the page.
  tokenStorage: process.env.NEXT_PUBLIC_COZE_TOKEN_STORAGE === 'worker' ? 'worker' : 'sessionStorage',
  // Left out, Next bundles the package's worker script itself (a same-origin /_next/static URL,
  // one per build). Set it to serve react-coze-auth/dist/vault/vaultWorker.js yourself, e.g.
  // copied to public/coze-vault-worker.js: a URL that stays the same across deploys.
  workerUrl: process.env.NEXT_PUBLIC_COZE_VAULT_WORKER_URL || undefined,
};

function required(name: string, value: string | undefined): string {
  if (!value) throw new Error(`${name} is not set: copy .env.example to .env.local and fill it in.`);
  return value;
}
