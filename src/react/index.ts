export { CozeAuthProvider } from './CozeAuthProvider.js';
export type { CozeAuthProviderProps } from './CozeAuthProvider.js';
export { useCozeSession } from './context.js';
export { useCozeAuth } from './useCozeAuth.js';
export type { UseCozeAuthResult } from './useCozeAuth.js';
export { useCozeToken } from './useCozeToken.js';
export type { UseCozeTokenResult } from './useCozeToken.js';
export { useCozeClient } from './useCozeClient.js';
export { CozeLoginButton } from './CozeLoginButton.js';
export type { CozeLoginButtonProps } from './CozeLoginButton.js';
export { CozeCallback } from './CozeCallback.js';
export type { CozeCallbackErrorActions, CozeCallbackProps } from './CozeCallback.js';
export { RequireCozeAuth } from './RequireCozeAuth.js';
export type { RequireCozeAuthProps } from './RequireCozeAuth.js';
export { useCozeMessages } from './i18n/context.js';
export type { CozeMessagesValue } from './i18n/context.js';
export type {
  CozeAuthErrorMessages,
  CozeAuthErrorText,
  CozeAuthLocale,
  CozeAuthMessageOverrides,
  CozeAuthMessages,
  CozeAuthUiMessages,
} from './i18n/types.js';
