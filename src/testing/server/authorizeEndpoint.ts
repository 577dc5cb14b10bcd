import type { AuthorizationRequest, AuthorizationStore } from './authorizationStore.js';
import type { ClientRegistry } from './clientRegistry.js';
import { renderConsentPage, renderErrorPage } from './htmlPages.js';
import { DECISION_PATH } from './matchRoute.js';
import { isPkceMethod, isWellFormedChallenge } from './pkce.js';
import type { PreparedRequest } from './preparedRequest.js';
import { htmlResponse, redirectResponse, withQuery } from './responses.js';
import type { OAuthErrorCode } from './types.js';
import type { UserDirectory } from './userDirectory.js';

/** What an authorize request or a consent decision leads to. */
export type AuthorizeOutcome =
  /** The redirect URI cannot be trusted, so the user sees an error page (RFC 6749 §4.1.2.1). */
  | { type: 'error-page'; title: string; message: string }
  /** Back to the app, with a code or an OAuth error. */
  | { type: 'redirect'; location: string }
  /** A valid request waiting for the user's decision. */
  | { type: 'consent'; pendingId: string; request: AuthorizationRequest };

/** The HTTP status each outcome is served with. */
export function outcomeStatus(outcome: AuthorizeOutcome): number {
  if (outcome.type === 'error-page') return 400;
  return outcome.type === 'redirect' ? 302 : 200;
}

/** What the authorize endpoint needs from the model. */
export interface AuthorizeEndpointDeps {
  clients: ClientRegistry;
  users: UserDirectory;
  authorizations: AuthorizationStore;
  webOrigin: string;
  autoApprove: boolean;
}

/**
 * The web host's side of the flow: validates the authorize request, shows the consent page and
 * turns the decision into a redirect. `start` and `decide` are also what `approve()`/`deny()` run.
 */
export class AuthorizeEndpoint {
  readonly #deps: AuthorizeEndpointDeps;

  constructor(deps: AuthorizeEndpointDeps) {
    this.#deps = deps;
  }

  /** Validates an authorize URL; a valid one is parked for the user's decision. */
  start(url: URL, workspaceId: string | undefined): AuthorizeOutcome {
    const { clients, users, authorizations } = this.#deps;
    const query = url.searchParams;
    const clientId = query.get('client_id') ?? '';
    const client = clients.get(clientId);
    if (!client) {
      return errorPage('Unknown application', `client_id "${clientId}" is not a registered OAuth app.`);
    }
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!clients.isRegisteredRedirect(client, redirectUri)) {
      return errorPage(
        'Redirect URI mismatch',
        `redirect_uri "${redirectUri}" is not registered for ${client.name}. It must match a registered URI exactly.`,
      );
    }
    // From here the redirect URI is trusted, so problems go back to the app as OAuth errors.
    const state = query.get('state') ?? '';
    const refuse = (error: OAuthErrorCode, description: string): AuthorizeOutcome => ({
      type: 'redirect',
      location: withQuery(redirectUri, { error, error_description: description, state }),
    });
    if (query.get('response_type') !== 'code') {
      return refuse('unsupported_response_type', 'response_type must be "code"');
    }
    const codeChallenge = query.get('code_challenge');
    if (!codeChallenge) return refuse('invalid_request', 'code_challenge is required (PKCE)');
    // RFC 7636 §4.3: an absent method means plain. The SDKs always send one.
    const method = query.get('code_challenge_method') ?? 'plain';
    if (!isPkceMethod(method)) return refuse('invalid_request', 'code_challenge_method must be S256 or plain');
    if (!isWellFormedChallenge(method, codeChallenge)) {
      return refuse('invalid_request', `code_challenge is not a valid ${method} challenge`);
    }
    const user = users.signedInUser;
    if (workspaceId !== undefined && !users.workspace(user.user_id, workspaceId)) {
      return refuse('invalid_request', `workspace ${workspaceId} does not exist or ${user.nick_name} is not a member`);
    }
    const request: AuthorizationRequest = {
      clientId,
      redirectUri,
      state,
      codeChallenge,
      codeChallengeMethod: method,
      userId: user.user_id,
      ...(workspaceId === undefined ? {} : { workspaceId }),
    };
    return { type: 'consent', pendingId: authorizations.createPending(request), request };
  }

  /** The user's answer to a pending request: a code, or `access_denied`. */
  decide(pendingId: string, approved: boolean): AuthorizeOutcome {
    const request = this.#deps.authorizations.takePending(pendingId);
    if (!request) {
      return errorPage(
        'Authorization request expired',
        'This authorization request is no longer valid. Go back to the app and sign in again.',
      );
    }
    const params: Record<string, string> = approved
      ? { code: this.#deps.authorizations.issueCode(request), state: request.state }
      : { error: 'access_denied', error_description: 'The user denied the authorization request.', state: request.state };
    return { type: 'redirect', location: withQuery(request.redirectUri, params) };
  }

  /** `GET {web}/api/permission/oauth2[/workspace_id/{id}]/authorize` */
  prepareAuthorize(url: URL, workspaceId: string | undefined): PreparedRequest {
    return {
      kind: 'authorize',
      respond: () => {
        const started = this.start(url, workspaceId);
        const autoApproved =
          started.type === 'consent' && this.#deps.autoApprove ? this.decide(started.pendingId, true) : started;
        return this.render(autoApproved);
      },
      fail: (failure) => htmlResponse(failure.status, renderErrorPage('Service unavailable', 'Please try again later.')),
    };
  }

  /** `POST {web}/api/permission/oauth2/authorize/decision`, the consent form. */
  prepareDecision(request: Request): PreparedRequest {
    return {
      kind: 'decision',
      respond: async () => {
        // What an HTML form posts: application/x-www-form-urlencoded.
        const form = new URLSearchParams(await request.text());
        const decision = form.get('decision');
        if (decision !== 'approve' && decision !== 'deny') {
          return this.render(errorPage('Invalid decision', 'The consent form was not submitted correctly.'));
        }
        return this.render(this.decide(form.get('request_id') ?? '', decision === 'approve'));
      },
      fail: (failure) => htmlResponse(failure.status, renderErrorPage('Service unavailable', 'Please try again later.')),
    };
  }

  render(outcome: AuthorizeOutcome): Response {
    const status = outcomeStatus(outcome);
    switch (outcome.type) {
      case 'error-page':
        return htmlResponse(status, renderErrorPage(outcome.title, outcome.message));
      case 'redirect':
        return redirectResponse(outcome.location);
      case 'consent':
        return htmlResponse(status, this.#consentPage(outcome.pendingId, outcome.request));
    }
  }

  #consentPage(pendingId: string, request: AuthorizationRequest): string {
    const { clients, users, webOrigin } = this.#deps;
    // Both were checked by start(); the fallbacks only satisfy the types.
    const user = users.user(request.userId) ?? users.signedInUser;
    const workspace =
      request.workspaceId === undefined ? undefined : users.workspace(request.userId, request.workspaceId);
    return renderConsentPage({
      appName: clients.get(request.clientId)?.name ?? request.clientId,
      user,
      ...(workspace ? { workspace } : {}),
      redirectOrigin: new URL(request.redirectUri).origin,
      decisionUrl: webOrigin + DECISION_PATH,
      pendingId,
    });
  }
}

function errorPage(title: string, message: string): AuthorizeOutcome {
  return { type: 'error-page', title, message };
}
