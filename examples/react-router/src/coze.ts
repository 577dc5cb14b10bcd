import { CozeSession } from 'react-coze-auth';

/**
 * The app's one Coze session, created before the router so that route loaders can await a fresh
 * token (`await session.getToken()`) before React renders anything. The provider is given the
 * same instance (`<CozeAuthProvider session={session}>`), so hooks and loaders share tokens,
 * refreshes and sign-out.
 */
export const session = new CozeSession({
  clientId: required('VITE_COZE_CLIENT_ID', import.meta.env.VITE_COZE_CLIENT_ID),
  redirectUri: import.meta.env.VITE_COZE_REDIRECT_URI || `${window.location.origin}/callback`,
  baseURL: import.meta.env.VITE_COZE_BASE_URL || undefined,
  webBaseURL: import.meta.env.VITE_COZE_WEB_BASE_URL || undefined,
});

function required(name: string, value: string | undefined): string {
  if (!value) throw new Error(`${name} is not set: copy .env.example to .env.local and fill it in.`);
  return value;
}
