import type { NetworkError } from './networkError.js';

/**
 * A Coze user, as `GET /v1/users/me` returns it. Same shape as `User` in `@coze/api`
 * (declared here so the testing entry point does not need `@coze/api` to type-check).
 */
export interface CozeUser {
  user_id: string;
  user_name: string;
  nick_name: string;
  avatar_url: string;
}

/**
 * A Coze workspace, as `GET /v1/workspaces` lists it. Same shape as `WorkSpace` in `@coze/api`.
 */
export interface CozeWorkspace {
  id: string;
  name: string;
  icon_url: string;
  /** `owner`, `admin` or `member` on Coze. */
  role_type: string;
  /** `personal` or `team` on Coze. */
  workspace_type: string;
  enterprise_id?: string;
}

/**
 * A bot (智能体) that the fake `POST /v3/chat` answers as. On Coze a bot is built and published in
 * the web UI; the fake only needs its id, its name and a deterministic answer.
 */
export interface CozeBot {
  /** The `bot_id` an app passes to `client.chat.stream()`. */
  bot_id: string;
  name: string;
  /**
   * The whole answer to the text of the last user message; it is streamed in several
   * `conversation.message.delta` chunks. Must be deterministic. Default: {@link echoAnswer}.
   */
  answer?: (question: string) => string;
  /** Suggested next questions, sent as `follow_up` messages after the answer. Default: none. */
  followUps?: string[];
}

/** An OAuth app registered with the fake server (a PKCE "public client": no secret). */
export interface CozeClient {
  clientId: string;
  /** Shown on the consent page. Default: the client id. */
  name?: string;
  /** Redirect URIs; the authorize request's `redirect_uri` must equal one of them exactly. */
  redirectUris: string[];
  /**
   * Browser origins allowed to call the fake server cross-origin (CORS).
   * Default: the origins of `redirectUris`.
   */
  allowedOrigins?: string[];
}

/** Access and refresh token lifetimes, in seconds. */
export interface TokenLifetimes {
  /** Default 900 (15 minutes). */
  accessTokenTtlSeconds: number;
  /** Default 2 592 000 (30 days). */
  refreshTokenTtlSeconds: number;
}

/** Options of {@link createCozeModel}. */
export interface CozeModelOptions extends Partial<TokenLifetimes> {
  /** Origin of the OpenAPI host (token endpoint, `/v1/...`), e.g. `http://127.0.0.1:4010`. */
  apiOrigin: string;
  /** Origin of the web host (authorize page), e.g. `http://127.0.0.1:4011`. */
  webOrigin: string;
  /** Registered OAuth apps. */
  clients: CozeClient[];
  /** Known users. Default: one user, {@link DEFAULT_COZE_USER}. */
  users?: CozeUser[];
  /**
   * Workspaces per `user_id`. Default: {@link DEFAULT_COZE_WORKSPACES} for the default user, and
   * one personal workspace for any other user without an entry.
   */
  workspaces?: Record<string, CozeWorkspace[]>;
  /** The user "signed in" at the web host, who consents. Default: the first user. */
  signedInUserId?: string;
  /** Lifetime of an authorization code. Default 60. */
  codeTtlSeconds?: number;
  /** Skip the consent page and approve at once. Default false. */
  autoApprove?: boolean;
  /** Bots that `POST /v3/chat` answers as. Default: one bot, {@link DEFAULT_COZE_BOT}. */
  bots?: CozeBot[];
  /**
   * Pause before each answer chunk (`conversation.message.delta` event) of a streamed
   * `POST /v3/chat`, in ms, so that tests can stop a chat mid-answer. Default 0.
   */
  chatChunkDelayMs?: number;
  /** Delay added before every answer, in ms. Default 0. */
  latencyMs?: number;
  /**
   * Extra delay of token endpoint answers only, in ms, on top of `latencyMs`: a number for every
   * token request, or per grant. The model reads the request, waits, and only then acts on it
   * (and applies injected failures), so a slow refresh still rotates the refresh token, at the
   * moment its answer is produced. Default 0. Change it with {@link CozeModel.setTokenLatency}.
   */
  tokenLatencyMs?: number | Partial<Record<TokenGrantName, number>>;
  /**
   * How far Coze's clock is ahead of the `now` clock, in ms (negative: behind). Everything the
   * model decides by time uses `now() + clockOffsetMs`: the `expires_in` it issues (an absolute
   * Unix time on Coze's clock), code and consent expiry, access and refresh token expiry. It
   * simulates a browser whose clock is wrong: with `now` standing for the browser's clock,
   * `clockOffsetMs: -3_600_000` is a browser an hour ahead of Coze. The request log keeps the
   * `now` clock. Default 0. Change it with {@link CozeModel.setClockOffset}.
   */
  clockOffsetMs?: number;
  /** The model's clock, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** The two grants of the token endpoint, for per-grant knobs. */
export type TokenGrantName = 'exchange' | 'refresh';

/** The token endpoint's success body. `expires_in` is an absolute Unix time in seconds. */
export interface CozeTokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: 'Bearer';
}

/** `error_code` values the fake token endpoint (and authorize redirects) can answer. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'access_denied'
  | 'server_error';

/**
 * Which requests `failNext` targets: `token` = any token endpoint call, `exchange` = the
 * authorization_code grant, `refresh` = the refresh_token grant, `api` = protected OpenAPI calls.
 */
export type FailureKind = 'token' | 'refresh' | 'exchange' | 'api';

/** An injected failure: an HTTP error status, or a dropped connection. */
export type InjectedFailure = { status: number } | 'network';

/** What one request to the model was, for {@link RequestLogEntry.kind}. */
export type RequestKind =
  | 'authorize'
  | 'decision'
  | 'token-exchange'
  | 'token-refresh'
  /** A token request whose grant could not be read (bad content type, JSON, grant_type). */
  | 'token'
  | 'api'
  /** `POST /v3/chat`, a protected OpenAPI call too: `failNext('api')` and the `api` counter include it. */
  | 'chat'
  | 'preflight';

/** One request the model answered. Holds no token, code, verifier or query string. */
export interface RequestLogEntry {
  /**
   * When the answer was produced, ms, on the `now` clock of {@link CozeModelOptions} (without
   * `clockOffsetMs`, so that it compares with the test's own clock).
   */
  time: number;
  method: string;
  origin: 'api' | 'web';
  /** URL path only: the query may carry codes and challenges. */
  path: string;
  kind: RequestKind;
  /** HTTP status, or 0 when the connection was dropped on purpose. */
  status: number;
}

/** Request counts since creation or the last `resetCounters()`. */
export interface CozeCounters {
  /** Authorize page requests (and `approve()`/`deny()` calls). */
  authorize: number;
  /** Consent decisions submitted (form posts and `approve()`/`deny()`). */
  decision: number;
  /** authorization_code grant requests. */
  tokenExchange: number;
  /** refresh_token grant requests, every attempt: including rejected, failed and dropped ones. */
  tokenRefresh: number;
  /** Token endpoint requests that failed (4xx/5xx or dropped). */
  tokenErrors: number;
  /** Protected OpenAPI calls, including failed and dropped ones. */
  api: number;
  /** Protected OpenAPI calls answered 401. */
  apiUnauthorized: number;
  /** `POST /v3/chat` calls (streamed or not), also counted in `api` and `apiUnauthorized`. */
  chat: number;
  /**
   * Streamed chats that ended before their `done` event because the client aborted the request
   * or cancelled the body (the bot stopped with them). Counted when the model sees it go.
   */
  chatStopped: number;
  /** CORS preflight (OPTIONS) requests. */
  preflight: number;
}

/** Options of {@link CozeModel.issueTokens}. */
export interface IssueTokensOptions {
  clientId: string;
  /** Default: the signed-in user. */
  userId?: string;
  /** Scope the tokens to one workspace, as the workspace authorize URL does. */
  workspaceId?: string;
}

/** The fake Coze server: protocol state plus test knobs. Create it with {@link createCozeModel}. */
export interface CozeModel {
  readonly apiOrigin: string;
  readonly webOrigin: string;
  /** A snapshot of the request counters. */
  readonly counters: Readonly<CozeCounters>;
  /** A snapshot of the most recent requests (at most 1000), oldest first. */
  readonly requestLog: readonly RequestLogEntry[];
  /**
   * Answers one request. `undefined` when the URL is not a path the model serves on either
   * origin; {@link NETWORK_ERROR} when the transport must drop the connection.
   */
  handle(request: Request): Promise<Response | NetworkError | undefined>;
  /**
   * Runs the authorize request and approves it, as a user clicking "Authorize" would (whatever
   * `autoApprove` says). Resolves to the callback URL the browser would be sent to, which is an
   * OAuth error redirect when the request is invalid. Rejects when Coze would show an error page
   * (unknown client or redirect URI).
   */
  approve(authorizeUrl: string): Promise<string>;
  /** Like {@link CozeModel.approve}, but the user clicks "Cancel" (`error=access_denied`). */
  deny(authorizeUrl: string): Promise<string>;
  /** Signs a user in without the browser dance, e.g. to seed a stored session. */
  issueTokens(options: IssueTokensOptions): CozeTokenResponse;
  /** Changes the delay added before every answer (`latencyMs`). */
  setLatency(ms: number): void;
  /**
   * Changes the extra delay of token endpoint answers (`tokenLatencyMs`): of one grant, or of
   * every token request when `grant` is left out. The model waits before it acts on the request,
   * so a slow refresh rotates the refresh token when its answer is produced, not when it arrived.
   *
   * @example
   * model.setTokenLatency(3_000, 'refresh'); // refreshes take 3 s; sign-ins stay fast
   */
  setTokenLatency(ms: number, grant?: TokenGrantName): void;
  /**
   * Moves Coze's clock relative to the `now` clock (`clockOffsetMs`; positive: Coze is ahead).
   * Applies at once to everything decided by time, including tokens already issued: their expiry
   * is a fixed instant on Coze's clock.
   *
   * @example
   * model.setClockOffset(-3_600_000); // the browser's clock is an hour ahead of Coze's
   */
  setClockOffset(ms: number): void;
  /**
   * The next `times` requests of `kind` fail with `failure` before the model looks at them.
   * Failed requests are still counted and logged (a failed refresh counts in `tokenRefresh` and
   * `tokenErrors`). `times` may be `Infinity`: an outage that lasts until {@link CozeModel.clearFailures}.
   * Queued failures are served first in, first out.
   *
   * @example
   * model.failNext('refresh', { status: 503 }, Infinity); // the token endpoint is down for refreshes
   * // ...
   * model.clearFailures(); // and back up
   */
  failNext(kind: FailureKind, failure: InjectedFailure, times?: number): void;
  /**
   * Drops queued failures (from `failNext` and `failRefreshWith`): those queued for `kind`, or
   * all of them. Ends an outage started with `failNext(kind, failure, Infinity)`.
   */
  clearFailures(kind?: FailureKind): void;
  /** The next refresh is answered 400 with this OAuth error (the refresh token is left as is). */
  failRefreshWith(errorCode: 'invalid_grant'): void;
  /** Revokes every token of the sign-in that issued this access or refresh token. */
  revokeSession(accessOrRefreshToken: string): boolean;
  revokeAll(): void;
  /** Changes the lifetimes of tokens issued from now on. */
  setTokenLifetimes(lifetimes: Partial<TokenLifetimes>): void;
  /** Changes `chatChunkDelayMs`, from the next answer chunk on (chats under way included). */
  setChatChunkDelay(ms: number): void;
  /** Clears the counters and the request log. */
  resetCounters(): void;
  /** Back to the state right after creation: no codes, tokens, failures; options' latencies, clock offset and lifetimes. */
  reset(): void;
}
