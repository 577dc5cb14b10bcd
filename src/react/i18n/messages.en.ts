import type { CozeAuthUiMessages } from './types.js';

/** The components' own text in English. */
export const en: CozeAuthUiMessages = {
  lang: 'en',
  signIn: 'Sign in with Coze',
  redirecting: 'Redirecting to Coze…',
  signingIn: 'Signing you in…',
  tryAgain: 'Try again',
  logId: 'Coze log id: {logid}',
};
