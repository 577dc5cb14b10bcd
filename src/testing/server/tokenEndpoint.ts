import type { AuthorizationStore } from './authorizationStore.js';
import type { ClientRegistry } from './clientRegistry.js';
import type { StatusFailure } from './faultInjector.js';
import { isWellFormedVerifier, verifyCodeVerifier } from './pkce.js';
import type { PreparedRequest } from './preparedRequest.js';
import { oauthErrorResponse, tokenEndpointResponse } from './responses.js';
import type { TokenStore } from './tokenStore.js';

/** What the token endpoint needs from the model. */
export interface TokenEndpointDeps {
  clients: ClientRegistry;
  authorizations: AuthorizationStore;
  tokens: TokenStore;
}

type Body = Record<string, unknown>;

/**
 * `POST {api}/api/permission/oauth2/token`: the authorization_code and refresh_token grants,
 * JSON bodies only, as Coze takes them. The `Authorization: Bearer ` header the SDK sends
 * (empty for PKCE apps) is ignored: a PKCE app has no secret to check.
 */
export class TokenEndpoint {
  readonly #deps: TokenEndpointDeps;

  constructor(deps: TokenEndpointDeps) {
    this.#deps = deps;
  }

  /** Reads the body to learn the grant, so that failures can target exchange or refresh. */
  async prepare(request: Request): Promise<PreparedRequest> {
    const fail = injectedFailure;
    const contentType = request.headers.get('Content-Type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      return refused('invalid_request', 'Content-Type must be application/json; the body is JSON, not a form');
    }
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return refused('invalid_request', 'the request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return refused('invalid_request', 'the request body must be a JSON object');
    }
    const fields = body as Body;
    switch (fields.grant_type) {
      case 'authorization_code':
        return { kind: 'token-exchange', respond: () => this.#exchange(fields), fail };
      case 'refresh_token':
        return { kind: 'token-refresh', respond: () => this.#refresh(fields), fail };
      case undefined:
        return refused('invalid_request', 'grant_type is required');
      default:
        return {
          kind: 'token',
          respond: () => oauthErrorResponse(400, 'unsupported_grant_type', `grant_type ${String(fields.grant_type)} is not supported`),
          fail,
        };
    }
  }

  /** @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 and RFC 7636 §4.6 */
  async #exchange(body: Body): Promise<Response> {
    const fields = requiredStrings(body, ['client_id', 'redirect_uri', 'code', 'code_verifier']);
    if (typeof fields === 'string') return oauthErrorResponse(400, 'invalid_request', `${fields} is required`);
    const { client_id: clientId, redirect_uri: redirectUri, code, code_verifier: verifier } = fields;
    if (!this.#deps.clients.get(clientId)) return unknownClient(clientId);
    if (!isWellFormedVerifier(verifier)) {
      return oauthErrorResponse(400, 'invalid_request', 'code_verifier must be 43-128 characters of [A-Za-z0-9-._~]');
    }
    const record = this.#deps.authorizations.findCode(code);
    if (!record) return oauthErrorResponse(400, 'invalid_grant', 'the authorization code is invalid');
    // Hash before touching any state: everything after this await runs in one go, so two
    // concurrent exchanges cannot both see the code unused.
    const verifierMatches = await verifyCodeVerifier(record.codeChallengeMethod, record.codeChallenge, verifier);
    if (record.used) {
      // RFC 6749 §4.1.2: a replayed code may be stolen; revoke what it already bought.
      if (record.familyId !== undefined) this.#deps.tokens.revokeFamily(record.familyId);
      return oauthErrorResponse(400, 'invalid_grant', 'the authorization code has already been used');
    }
    // Any attempt burns the code, so a verifier cannot be guessed over several tries.
    record.used = true;
    if (this.#deps.authorizations.isExpired(record)) {
      return oauthErrorResponse(400, 'invalid_grant', 'the authorization code has expired');
    }
    if (record.clientId !== clientId) {
      return oauthErrorResponse(400, 'invalid_grant', 'the authorization code was issued to another client');
    }
    if (record.redirectUri !== redirectUri) {
      return oauthErrorResponse(400, 'invalid_grant', 'redirect_uri does not match the authorize request');
    }
    if (!verifierMatches) {
      return oauthErrorResponse(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const { familyId, body: tokens } = this.#deps.tokens.issue({
      clientId,
      userId: record.userId,
      ...(record.workspaceId === undefined ? {} : { workspaceId: record.workspaceId }),
    });
    record.familyId = familyId;
    return tokenEndpointResponse(200, tokens);
  }

  /** @see https://www.rfc-editor.org/rfc/rfc6749#section-6 */
  #refresh(body: Body): Response {
    const fields = requiredStrings(body, ['client_id', 'refresh_token']);
    if (typeof fields === 'string') return oauthErrorResponse(400, 'invalid_request', `${fields} is required`);
    const { client_id: clientId, refresh_token: refreshToken } = fields;
    if (!this.#deps.clients.get(clientId)) return unknownClient(clientId);
    const result = this.#deps.tokens.refresh(refreshToken, clientId);
    return result.ok ? tokenEndpointResponse(200, result.body) : oauthErrorResponse(400, 'invalid_grant', result.reason);
  }
}

function refused(error: 'invalid_request', message: string): PreparedRequest {
  return { kind: 'token', respond: () => oauthErrorResponse(400, error, message), fail: injectedFailure };
}

// RFC 6749 §5.2 allows 401 for invalid_client; Coze's exact status is unknown, and 401 keeps
// clients honest: a 401 from the token endpoint is an OAuth error, not an expired access token.
function unknownClient(clientId: string): Response {
  return oauthErrorResponse(401, 'invalid_client', `client_id ${clientId} is not a registered OAuth app`);
}

function injectedFailure(failure: StatusFailure): Response {
  const error = failure.errorCode ?? (failure.status >= 500 ? 'server_error' : 'invalid_request');
  return oauthErrorResponse(failure.status, error, `injected failure (fake Coze server): ${failure.status}`);
}

/** The named fields as non-empty strings, or the name of the first one that is not. */
function requiredStrings<Name extends string>(body: Body, names: readonly Name[]): Record<Name, string> | Name {
  const values: Partial<Record<Name, string>> = {};
  for (const name of names) {
    const value = body[name];
    if (typeof value !== 'string' || value === '') return name;
    values[name] = value;
  }
  return values as Record<Name, string>;
}
