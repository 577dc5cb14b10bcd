/** Paths Coze serves, as `@coze/api` 1.3 calls them. */
export const AUTHORIZE_PATH = '/api/permission/oauth2/authorize';
/** Where the consent form posts. Not a Coze API: only this fake's own page uses it. */
export const DECISION_PATH = '/api/permission/oauth2/authorize/decision';
export const TOKEN_PATH = '/api/permission/oauth2/token';
export const USERS_ME_PATH = '/v1/users/me';
export const WORKSPACES_PATH = '/v1/workspaces';
/** `POST /v3/chat` (发起对话); `conversation_id` rides in the query, everything else in the body. */
export const CHAT_PATH = '/v3/chat';

const WORKSPACE_AUTHORIZE_PATH = /^\/api\/permission\/oauth2\/workspace_id\/([^/]+)\/authorize$/;

/** A path the model serves, with the one method it answers (besides OPTIONS). */
export type Route =
  | { origin: 'web'; name: 'authorize'; method: 'GET'; workspaceId?: string }
  | { origin: 'web'; name: 'decision'; method: 'POST' }
  | { origin: 'api'; name: 'token'; method: 'POST' }
  | { origin: 'api'; name: 'usersMe'; method: 'GET' }
  | { origin: 'api'; name: 'workspaces'; method: 'GET' }
  | { origin: 'api'; name: 'chat'; method: 'POST' };

/** Which route a URL is, or undefined when it is not on the model's origins and paths. */
export function matchRoute(url: URL, origins: { api: string; web: string }): Route | undefined {
  // Web first: with one origin for both (a private deployment), the paths still do not collide.
  if (url.origin === origins.web) {
    if (url.pathname === AUTHORIZE_PATH) return { origin: 'web', name: 'authorize', method: 'GET' };
    if (url.pathname === DECISION_PATH) return { origin: 'web', name: 'decision', method: 'POST' };
    const scoped = WORKSPACE_AUTHORIZE_PATH.exec(url.pathname);
    if (scoped?.[1]) return { origin: 'web', name: 'authorize', method: 'GET', workspaceId: decodeSegment(scoped[1]) };
  }
  if (url.origin === origins.api) {
    if (url.pathname === TOKEN_PATH) return { origin: 'api', name: 'token', method: 'POST' };
    if (url.pathname === USERS_ME_PATH) return { origin: 'api', name: 'usersMe', method: 'GET' };
    if (url.pathname === WORKSPACES_PATH) return { origin: 'api', name: 'workspaces', method: 'GET' };
    if (url.pathname === CHAT_PATH) return { origin: 'api', name: 'chat', method: 'POST' };
  }
  return undefined;
}

// A malformed escape is kept as is: it then names no workspace, and the request is refused
// with an OAuth error instead of an exception.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
