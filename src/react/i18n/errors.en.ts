import type { CozeAuthErrorMessages } from './types.js';

/** What users are told about each error, in English. (`error.message` stays for developers and logs.) */
export const enErrors: CozeAuthErrorMessages = {
  invalid_config: { title: "Sign-in isn't set up correctly", description: "This app's sign-in with Coze has a configuration problem. Please contact the app's support." },
  invalid_callback_url: { title: 'Incomplete sign-in link', description: 'The link back from Coze is incomplete. Please sign in again.' },
  state_mismatch: { title: "Sign-in couldn't be verified", description: "This sign-in wasn't started in this browser, or it was already used. Please sign in again." },
  missing_verifier: { title: "Sign-in couldn't be verified", description: 'The sign-in details saved in this browser are missing. Please sign in again.' },
  access_denied: { title: 'Authorization cancelled', description: 'You cancelled the authorization on Coze. To continue, sign in again and allow access.' },
  authorization_error: { title: "Coze couldn't sign you in", description: "Coze couldn't complete the authorization. Please try again." },
  invalid_grant: { title: 'Sign-in expired', description: 'Your Coze sign-in is no longer valid. Please sign in again.' },
  session_expired: { title: 'Session expired', description: 'Your session has expired. Please sign in again.' },
  login_required: { title: 'Sign-in required', description: 'Sign in with Coze to continue.' },
  invalid_token_response: { title: 'Unexpected response from Coze', description: "Coze sent a response this app couldn't read. Please try again in a moment." },
  server_error: { title: 'Coze is unavailable', description: 'Coze is busy or temporarily unavailable. Please try again in a moment.' },
  network_error: { title: "Can't reach Coze", description: 'Check your network connection and try again.' },
  unsafe_return_to: { title: "Can't return to that page", description: "The page to return to after sign-in isn't part of this app. Please contact the app's support." },
  crypto_unavailable: { title: 'Secure connection required', description: 'Signing in with Coze needs a secure (HTTPS) connection. Open this app over HTTPS and try again.' },
  storage_unavailable: { title: 'Browser storage is blocked', description: 'Signing in needs browser storage. Allow this site to store data (or leave private browsing) and try again.' },
};
