export { CozeSession } from './session/CozeSession';
export type { CozeSessionOptions } from './session/CozeSession';
export type {
  CallbackResult,
  CozeAuthEvent,
  CozeAuthState,
  CozeAuthStatus,
  GetTokenOptions,
  LoginOptions,
  SignOutReason,
} from './session/types';
export { CozeAuthError, isCozeAuthError } from './errors';
export type { CozeAuthErrorCode, CozeAuthErrorDetails } from './errors';
export { COZE_CN_BASE_URL, COZE_COM_BASE_URL, deriveWebBaseURL, resolveCozeConfig } from './config';
export type { CodeChallengeMethod, CozeAuthOptions, ResolvedCozeConfig } from './config';
export { createMemoryStorage } from './storage/storageAdapters';
export type { TokenStorageAdapter, TokenStorageOption } from './storage/storageAdapters';
export type { StoredTokens } from './storage/tokenStore';
export { expiresInToEpochMs } from './protocol/tokenResponse';
export type { TokenResponse } from './protocol/tokenResponse';
export { authorizationCodeGrantRequest, refreshTokenGrantRequest } from './protocol/tokenClient';
export type { FetchLike } from './protocol/tokenClient';
export { parseCallbackUrl, hasAuthorizationResponse } from './protocol/callbackUrl';
export { toSameOriginPath } from './returnTo';
export type { Clock } from './clock';
export type { LockRunner } from './browser/lock';
export type { TabChannel, TabMessage } from './browser/tabChannel';
export { getCozeClient, isCozeUnauthorized } from './cozeClient';
export type { CozeClientOptions } from './cozeClient';
