/**
 * react-coze-auth/i18n: the user-facing texts of sign-in errors in English and Simplified Chinese,
 * for apps that render their own error UI. A separate entry so that apps which only use the
 * built-in components never ship the tables up front (the components load them with the notice).
 * @packageDocumentation
 */
export { describeCozeAuthError } from './react/i18n/describeCozeAuthError.js';
export type { CozeAuthErrorDescription } from './react/i18n/describeCozeAuthError.js';
