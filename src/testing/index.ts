// Browser-safe entry point of `react-coze-auth/testing`. The Node server lives in `./node`
// because it imports node:http, which must never reach a browser bundle.
export { createCozeModel } from './server/createCozeModel';
export { cozeHandlers } from './server/mswHandlers';
export { NETWORK_ERROR } from './server/networkError';
export type { NetworkError } from './server/networkError';
export { DEFAULT_COZE_USER, DEFAULT_COZE_WORKSPACES } from './server/defaultFixtures';
export type {
  CozeClient,
  CozeCounters,
  CozeModel,
  CozeModelOptions,
  CozeTokenResponse,
  CozeUser,
  CozeWorkspace,
  FailureKind,
  InjectedFailure,
  IssueTokensOptions,
  OAuthErrorCode,
  RequestKind,
  RequestLogEntry,
  TokenLifetimes,
} from './server/types';
export { createTestClock, flushAsync } from './testClock';
export type { TestClock } from './testClock';
export {
  createTestCozeAuth,
  TEST_API_ORIGIN,
  TEST_CLIENT_ID,
  TEST_WEB_ORIGIN,
} from './react/createTestCozeAuth';
export type { TestAuthState, TestCozeAuth, TestCozeAuthOptions } from './react/createTestCozeAuth';
export { MockCozeAuthProvider } from './react/MockCozeAuthProvider';
export type { MockCozeAuthProviderProps } from './react/MockCozeAuthProvider';
