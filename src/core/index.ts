export { CozeSession } from './session/CozeSession.js';
export type { CozeSessionOptions } from './session/CozeSession.js';
export type {
  CallbackResult,
  CozeAuthEvent,
  CozeAuthState,
  CozeAuthStatus,
  CozeLoadingState,
  CozeSignedInState,
  CozeSignedOutState,
  CozeSigningInState,
  GetTokenOptions,
  LoginOptions,
  SignOutReason,
} from './session/types.js';
export { CozeAuthError, isCozeAuthError } from './errors.js';
export type { CozeAuthErrorCode, CozeAuthErrorDetails } from './errors.js';
export { COZE_CN_BASE_URL, COZE_COM_BASE_URL } from './config.js';
export type { CodeChallengeMethod, CozeAuthOptions, ResolvedCozeConfig } from './config.js';
export { createMemoryStorage } from './storage/storageAdapters.js';
export type { TokenStorageAdapter, TokenStorageOption } from './storage/storageAdapters.js';
export type { StoredTokens } from './storage/tokenStore.js';
export type { TokenResponse } from './protocol/tokenResponse.js';
export type { FetchLike } from './protocol/tokenClient.js';
export type { Clock } from './clock.js';
export type { TabLocks } from './browser/lock.js';
export type { TabChannel, TabMessage } from './browser/tabChannel.js';
export { getCozeClient, isCozeUnauthorized } from './cozeClient.js';
export type { CozeClientOptions } from './cozeClient.js';
