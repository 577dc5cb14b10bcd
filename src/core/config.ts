import { CozeAuthError } from './errors.js';
import type { TokenStorageOption } from './storage/storageAdapters.js';

/** Coze's global API host; the default `baseURL` (same value as `COZE_COM_BASE_URL` in `@coze/api`). */
export const COZE_COM_BASE_URL = 'https://api.coze.com';
/** Coze China's API host (same value as `COZE_CN_BASE_URL` in `@coze/api`). */
export const COZE_CN_BASE_URL = 'https://api.coze.cn';

/** PKCE code challenge method. Coze accepts both; `S256` is the only safe choice where Web Crypto exists. */
export type CodeChallengeMethod = 'S256' | 'plain';

/** Options shared by the framework-agnostic session and the React provider. */
export interface CozeAuthOptions {
  /** The OAuth app's client id (Coze console → OAuth apps). Required. */
  clientId: string;
  /** Absolute URL of your callback route; must equal the redirect URL registered for the app. Required. */
  redirectUri: string;
  /** Coze API host, used for the token endpoint and `CozeAPI`. Default {@link COZE_COM_BASE_URL}. */
  baseURL?: string;
  /**
   * Host of Coze's authorize page. Default: derived from `baseURL` by turning a leading `api.` into
   * `www.` (as the official SDKs do), or `baseURL` itself when it has no `api.` label.
   */
  webBaseURL?: string;
  /** Scope sign-in to one workspace (`/api/permission/oauth2/workspace_id/{id}/authorize`). */
  workspaceId?: string;
  /** PKCE method. Default `'S256'`. */
  codeChallengeMethod?: CodeChallengeMethod;
  /** Where tokens live. Default `'sessionStorage'`. See {@link TokenStorageOption}. */
  tokenStorage?: TokenStorageOption;
  /**
   * `tokenStorage: 'worker'` only: the URL of the token vault's worker script, for bundlers that do
   * not copy `react-coze-auth/dist/vault/vaultWorker.js` on their own (esbuild, Next.js, plain
   * script tags). Serve that file from your origin and name it here; every tab must use the same
   * URL, or the tabs get a vault each. Default: the package's file, resolved by the bundler.
   */
  workerUrl?: string | URL;
  /**
   * Refresh this many seconds before expiry at most. Default 60. For short-lived tokens the skew
   * shrinks to a quarter of the token's lifetime so a refresh never loops.
   */
  refreshSkewSeconds?: number;
}

/** Endpoints and defaults resolved once from {@link CozeAuthOptions}. */
export interface ResolvedCozeConfig {
  clientId: string;
  redirectUri: string;
  baseURL: string;
  webBaseURL: string;
  workspaceId: string | undefined;
  authorizeEndpoint: string;
  tokenEndpoint: string;
  codeChallengeMethod: CodeChallengeMethod;
  refreshSkewSeconds: number;
}

function invalidOption(option: string, expected: string): CozeAuthError {
  return new CozeAuthError('invalid_config', `${option} must be ${expected}.`);
}

function parseAbsoluteUrl(value: string, option: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  } catch {
    // fall through to the typed error below
  }
  throw invalidOption(option, 'an absolute http(s) URL');
}

function withoutTrailingSlash(url: URL): string {
  return url.href.replace(/\/+$/, '');
}

/** Derives the authorize-page host from the API host the way the official SDKs do (`api.` → `www.`). */
export function deriveWebBaseURL(baseURL: string): string {
  const url = parseAbsoluteUrl(baseURL, 'baseURL');
  if (url.hostname.startsWith('api.')) url.hostname = `www.${url.hostname.slice(4)}`;
  return withoutTrailingSlash(url);
}

/** Validates options and computes the Coze endpoints. Throws `invalid_config` on bad input. */
export function resolveCozeConfig(options: CozeAuthOptions): ResolvedCozeConfig {
  if (!options.clientId) throw invalidOption('clientId', 'a non-empty string');
  parseAbsoluteUrl(options.redirectUri, 'redirectUri');
  const baseURL = withoutTrailingSlash(parseAbsoluteUrl(options.baseURL ?? COZE_COM_BASE_URL, 'baseURL'));
  const webBaseURL = options.webBaseURL
    ? withoutTrailingSlash(parseAbsoluteUrl(options.webBaseURL, 'webBaseURL'))
    : deriveWebBaseURL(baseURL);
  const method = options.codeChallengeMethod ?? 'S256';
  if (method !== 'S256' && method !== 'plain') {
    throw invalidOption('codeChallengeMethod', '"S256" or "plain"');
  }
  const skew = options.refreshSkewSeconds ?? 60;
  if (!Number.isFinite(skew) || skew < 0) {
    throw invalidOption('refreshSkewSeconds', 'a non-negative number');
  }
  const workspacePath = options.workspaceId
    ? `/workspace_id/${encodeURIComponent(options.workspaceId)}`
    : '';
  return {
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    baseURL,
    webBaseURL,
    workspaceId: options.workspaceId,
    authorizeEndpoint: `${webBaseURL}/api/permission/oauth2${workspacePath}/authorize`,
    tokenEndpoint: `${baseURL}/api/permission/oauth2/token`,
    codeChallengeMethod: method,
    refreshSkewSeconds: skew,
  };
}
