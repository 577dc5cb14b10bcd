// Browser-safe entry point of `react-coze-auth/testing`. The Node server lives in `./node`
// because it imports node:http, which must never reach a browser bundle; the MSW handlers live in
// `./msw`, so that this entry imports without the optional `msw` peer installed.
export { createCozeModel } from './server/createCozeModel.js';
export { NETWORK_ERROR } from './server/networkError.js';
export type { NetworkError } from './server/networkError.js';
export { DEFAULT_COZE_BOT, DEFAULT_COZE_USER, DEFAULT_COZE_WORKSPACES, echoAnswer } from './server/defaultFixtures.js';
export type {
  CozeBot,
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
  TokenGrantName,
  TokenLifetimes,
} from './server/types.js';
export { createTestClock, flushAsync } from './testClock.js';
export type { TestClock } from './testClock.js';
export { createTestTabLocks } from './testTabLocks.js';
export {
  createTestCozeModel,
  modelFetch,
  TEST_API_ORIGIN,
  TEST_CLIENT_ID,
  TEST_WEB_ORIGIN,
  testRedirectUri,
  testSessionOptions,
} from './testDefaults.js';
export type { TestCozeModelOptions } from './testDefaults.js';
export { createTestCozeAuth } from './react/createTestCozeAuth.js';
export type { TestAuthState, TestCozeAuth, TestCozeAuthOptions } from './react/createTestCozeAuth.js';
export { MockCozeAuthProvider } from './react/MockCozeAuthProvider.js';
export type { MockCozeAuthProviderProps } from './react/MockCozeAuthProvider.js';
