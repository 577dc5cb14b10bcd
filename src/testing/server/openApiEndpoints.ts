import type { PreparedRequest } from './preparedRequest.js';
import { openApiErrorResponse, openApiResponse } from './responses.js';
import type { TokenGrant, TokenStore } from './tokenStore.js';
import type { UserDirectory } from './userDirectory.js';

/** What the OpenAPI endpoints need from the model. */
export interface OpenApiEndpointsDeps {
  tokens: TokenStore;
  users: UserDirectory;
}

/** Coze's `msg` for a missing, unknown, expired or revoked access token (code 4100). */
export const AUTHENTICATION_INVALID = 'authentication is invalid';

// Coze's documented page_size bounds for GET /v1/workspaces.
const MAX_PAGE_SIZE = 50;
const DEFAULT_PAGE_SIZE = 10;

/** The two protected endpoints: `GET /v1/users/me` and `GET /v1/workspaces`. */
export class OpenApiEndpoints {
  readonly #deps: OpenApiEndpointsDeps;

  constructor(deps: OpenApiEndpointsDeps) {
    this.#deps = deps;
  }

  prepare(name: 'usersMe' | 'workspaces', request: Request, url: URL, logid: string): PreparedRequest {
    return {
      kind: 'api',
      respond: () => {
        const grant = this.#authenticate(request);
        // One answer for missing, unknown, expired and revoked tokens, like Coze: the client
        // can only sign in again, and the server tells an attacker nothing.
        if (!grant) return openApiErrorResponse(401, AUTHENTICATION_INVALID, logid);
        return name === 'usersMe' ? this.#usersMe(grant, logid) : this.#workspaces(grant, url, logid);
      },
      fail: (failure) => openApiErrorResponse(failure.status, `injected failure (fake Coze server): ${failure.status}`, logid),
    };
  }

  #authenticate(request: Request): TokenGrant | undefined {
    return bearerGrant(request, this.#deps.tokens);
  }

  #usersMe(grant: TokenGrant, logid: string): Response {
    const user = this.#deps.users.user(grant.userId);
    if (!user) return openApiErrorResponse(404, 'user not found', logid);
    return openApiResponse(user, logid);
  }

  #workspaces(grant: TokenGrant, url: URL, logid: string): Response {
    const pageNum = pageParam(url, 'page_num', 1, Number.MAX_SAFE_INTEGER);
    const pageSize = pageParam(url, 'page_size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    if (pageNum === undefined || pageSize === undefined) {
      return openApiErrorResponse(400, `invalid parameter: page_num >= 1, 1 <= page_size <= ${MAX_PAGE_SIZE}`, logid);
    }
    // A token from the workspace-scoped authorize URL sees only that workspace.
    const all = this.#deps.users
      .workspacesOf(grant.userId)
      .filter((workspace) => grant.workspaceId === undefined || workspace.id === grant.workspaceId);
    const start = (pageNum - 1) * pageSize;
    return openApiResponse({ workspaces: all.slice(start, start + pageSize), total_count: all.length }, logid);
  }
}

/**
 * The grant behind the request's `Authorization: Bearer` token; undefined when the header is
 * missing or malformed, or the token unknown, expired or revoked. Every protected endpoint
 * answers all of these with one 401 (see {@link openApiErrorResponse}).
 */
export function bearerGrant(request: Request, tokens: TokenStore): TokenGrant | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('Authorization') ?? '');
  return match?.[1] ? tokens.authenticate(match[1]) : undefined;
}

/** An integer query parameter in [1, max], its default when absent, undefined when invalid. */
function pageParam(url: URL, name: string, fallback: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  return /^\d+$/.test(raw) && value >= 1 && value <= max ? value : undefined;
}
