import { AuthorizationStore } from './authorizationStore.js';
import { AuthorizeEndpoint, outcomeStatus } from './authorizeEndpoint.js';
import { ChatEndpoint } from './chatEndpoint.js';
import { ClientRegistry } from './clientRegistry.js';
import { CorsPolicy } from './corsPolicy.js';
import { FaultInjector } from './faultInjector.js';
import { DECISION_PATH, matchRoute, type Route } from './matchRoute.js';
import { NETWORK_ERROR, type NetworkError } from './networkError.js';
import { OpenApiEndpoints } from './openApiEndpoints.js';
import type { PreparedRequest } from './preparedRequest.js';
import { randomLogId } from './randomId.js';
import { RequestRecorder } from './requestRecorder.js';
import { TokenEndpoint } from './tokenEndpoint.js';
import { TokenStore } from './tokenStore.js';
import type {
  CozeCounters,
  CozeModel,
  CozeModelOptions,
  CozeTokenResponse,
  FailureKind,
  InjectedFailure,
  IssueTokensOptions,
  RequestLogEntry,
  RequestKind,
  TokenGrantName,
  TokenLifetimes,
} from './types.js';
import { UserDirectory } from './userDirectory.js';

const DEFAULT_LIFETIMES: TokenLifetimes = {
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 30 * 24 * 60 * 60,
};
const DEFAULT_CODE_TTL_SECONDS = 60;

/** Extra token endpoint delay per kind of token request; `token` is a request whose grant is unreadable. */
type TokenLatency = Record<TokenGrantName | 'token', number>;
const TOKEN_LATENCY_KIND: Partial<Record<RequestKind, keyof TokenLatency>> = {
  'token-exchange': 'exchange',
  'token-refresh': 'refresh',
  token: 'token',
};

/**
 * Creates an in-memory model of Coze's OAuth 2.0 + PKCE server and of two protected OpenAPI
 * endpoints. Transports (MSW handlers, the Node server) only feed it `Request`s.
 *
 * @example
 * const model = createCozeModel({
 *   apiOrigin: 'http://127.0.0.1:4010',
 *   webOrigin: 'http://127.0.0.1:4011',
 *   clients: [{ clientId: 'app', redirectUris: ['http://127.0.0.1:5173/callback'] }],
 * });
 */
export function createCozeModel(options: CozeModelOptions): CozeModel {
  return new FakeCozeModel(options);
}

class FakeCozeModel implements CozeModel {
  readonly apiOrigin: string;
  readonly webOrigin: string;
  readonly #options: CozeModelOptions;
  /** The test's clock (`options.now`): the browser's clock, as far as the model is concerned. */
  readonly #baseNow: () => number;
  #clockOffsetMs: number;
  /** Coze's clock: everything decided by time uses this. */
  readonly #now = (): number => this.#baseNow() + this.#clockOffsetMs;
  readonly #clients: ClientRegistry;
  readonly #users: UserDirectory;
  readonly #authorizations: AuthorizationStore;
  readonly #tokens: TokenStore;
  readonly #faults = new FaultInjector();
  readonly #recorder = new RequestRecorder();
  readonly #cors: CorsPolicy;
  readonly #authorize: AuthorizeEndpoint;
  readonly #tokenEndpoint: TokenEndpoint;
  readonly #openApi: OpenApiEndpoints;
  readonly #chat: ChatEndpoint;
  #chatChunkDelayMs: number;
  #latencyMs: number;
  #tokenLatency: TokenLatency;

  constructor(options: CozeModelOptions) {
    this.#options = options;
    // Normalised so that `http://127.0.0.1:4010/` and `http://127.0.0.1:4010` both match URLs.
    this.apiOrigin = new URL(options.apiOrigin).origin;
    this.webOrigin = new URL(options.webOrigin).origin;
    this.#baseNow = options.now ?? Date.now;
    this.#clockOffsetMs = checkedClockOffset(options.clockOffsetMs ?? 0);
    this.#latencyMs = checkedLatency(options.latencyMs ?? 0);
    this.#tokenLatency = initialTokenLatency(options.tokenLatencyMs);
    this.#clients = new ClientRegistry(options.clients);
    this.#users = new UserDirectory(options.users, options.workspaces, options.signedInUserId);
    this.#authorizations = new AuthorizationStore(this.#now, options.codeTtlSeconds ?? DEFAULT_CODE_TTL_SECONDS);
    this.#tokens = new TokenStore(this.#now, this.#initialLifetimes());
    this.#cors = new CorsPolicy((origin) => this.#clients.isAllowedOrigin(origin));
    this.#authorize = new AuthorizeEndpoint({
      clients: this.#clients,
      users: this.#users,
      authorizations: this.#authorizations,
      webOrigin: this.webOrigin,
      autoApprove: options.autoApprove ?? false,
    });
    this.#tokenEndpoint = new TokenEndpoint({
      clients: this.#clients,
      authorizations: this.#authorizations,
      tokens: this.#tokens,
    });
    this.#openApi = new OpenApiEndpoints({ tokens: this.#tokens, users: this.#users });
    this.#chatChunkDelayMs = nonNegativeDelay(options.chatChunkDelayMs ?? 0);
    this.#chat = new ChatEndpoint({
      tokens: this.#tokens,
      ...(options.bots ? { bots: options.bots } : {}),
      now: this.#now,
      chunkDelayMs: () => this.#chatChunkDelayMs,
      onStopped: () => this.#recorder.chatStopped(),
    });
  }

  get counters(): Readonly<CozeCounters> {
    return this.#recorder.counters;
  }

  get requestLog(): readonly RequestLogEntry[] {
    return this.#recorder.log;
  }

  async handle(request: Request): Promise<Response | NetworkError | undefined> {
    const url = new URL(request.url);
    const route = matchRoute(url, { api: this.apiOrigin, web: this.webOrigin });
    // Decided before reading anything, so requests that are not ours keep their bodies.
    if (!route) return undefined;
    if (this.#latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
    const logid = randomLogId(this.#now());
    const prepared = await this.#prepare(route, request, url, logid);
    // A slow token endpoint: read the request, then wait, then act on it. State changes (a spent
    // code, a rotated refresh token) and injected failures happen when the answer is produced.
    const latencyKind = TOKEN_LATENCY_KIND[prepared.kind];
    const tokenLatency = latencyKind === undefined ? 0 : this.#tokenLatency[latencyKind];
    if (tokenLatency > 0) await new Promise((resolve) => setTimeout(resolve, tokenLatency));
    // Injected failures strike before the endpoint acts, as if the request never got through.
    const fault = this.#faults.take(prepared.kind);
    let outcome: Response | NetworkError;
    if (fault === 'network') outcome = NETWORK_ERROR;
    else if (fault) outcome = prepared.fail(fault);
    else outcome = await prepared.respond();
    if (outcome !== NETWORK_ERROR) {
      outcome.headers.set('x-tt-logid', logid);
      if (prepared.kind !== 'preflight') this.#cors.decorate(request, outcome.headers);
    }
    this.#record(request.method, route.origin, url.pathname, prepared.kind, outcome === NETWORK_ERROR ? 0 : outcome.status);
    return outcome;
  }

  approve(authorizeUrl: string): Promise<string> {
    return this.#decideFor(authorizeUrl, true);
  }

  deny(authorizeUrl: string): Promise<string> {
    return this.#decideFor(authorizeUrl, false);
  }

  issueTokens({ clientId, userId, workspaceId }: IssueTokensOptions): CozeTokenResponse {
    if (!this.#clients.get(clientId)) throw new TypeError(`Coze model: unknown client ${clientId}`);
    const user = userId === undefined ? this.#users.signedInUser : this.#users.user(userId);
    if (!user) throw new TypeError(`Coze model: unknown user ${String(userId)}`);
    if (workspaceId !== undefined && !this.#users.workspace(user.user_id, workspaceId)) {
      throw new TypeError(`Coze model: user ${user.user_id} has no workspace ${workspaceId}`);
    }
    return this.#tokens.issue({
      clientId,
      userId: user.user_id,
      ...(workspaceId === undefined ? {} : { workspaceId }),
    }).body;
  }

  setLatency(ms: number): void {
    this.#latencyMs = checkedLatency(ms);
  }

  setTokenLatency(ms: number, grant?: TokenGrantName): void {
    const checked = checkedLatency(ms);
    if (grant === undefined) this.#tokenLatency = { exchange: checked, refresh: checked, token: checked };
    else if (grant === 'exchange' || grant === 'refresh') this.#tokenLatency = { ...this.#tokenLatency, [grant]: checked };
    else throw new TypeError(`Coze model: setTokenLatency grant must be "exchange" or "refresh", got ${String(grant)}`);
  }

  setClockOffset(ms: number): void {
    this.#clockOffsetMs = checkedClockOffset(ms);
  }

  failNext(kind: FailureKind, failure: InjectedFailure, times = 1): void {
    this.#faults.enqueue(kind, failure, times);
  }

  failRefreshWith(errorCode: 'invalid_grant'): void {
    this.#faults.enqueue('refresh', { status: 400, errorCode }, 1);
  }

  clearFailures(kind?: FailureKind): void {
    this.#faults.clear(kind);
  }

  revokeSession(accessOrRefreshToken: string): boolean {
    return this.#tokens.revokeByToken(accessOrRefreshToken);
  }

  revokeAll(): void {
    this.#tokens.revokeAll();
  }

  setTokenLifetimes(lifetimes: Partial<TokenLifetimes>): void {
    this.#tokens.lifetimes = { ...this.#tokens.lifetimes, ...definedOnly(lifetimes) };
  }

  setChatChunkDelay(ms: number): void {
    this.#chatChunkDelayMs = nonNegativeDelay(ms);
  }

  resetCounters(): void {
    this.#recorder.reset();
  }

  reset(): void {
    this.#chatChunkDelayMs = this.#options.chatChunkDelayMs ?? 0;
    this.#authorizations.clear();
    this.#tokens.clear();
    this.#tokens.lifetimes = this.#initialLifetimes();
    this.#faults.clear();
    this.#recorder.reset();
    this.#latencyMs = this.#options.latencyMs ?? 0;
    this.#tokenLatency = initialTokenLatency(this.#options.tokenLatencyMs);
    this.#clockOffsetMs = this.#options.clockOffsetMs ?? 0;
  }

  #initialLifetimes(): TokenLifetimes {
    return { ...DEFAULT_LIFETIMES, ...definedOnly(this.#options) };
  }

  async #prepare(route: Route, request: Request, url: URL, logid: string): Promise<PreparedRequest> {
    if (request.method === 'OPTIONS') {
      const preflight = (): Response => this.#cors.preflight(request);
      return { kind: 'preflight', respond: preflight, fail: preflight };
    }
    if (request.method !== route.method) return methodNotAllowed(route);
    switch (route.name) {
      case 'authorize':
        return this.#authorize.prepareAuthorize(url, route.workspaceId);
      case 'decision':
        return this.#authorize.prepareDecision(request);
      case 'token':
        return this.#tokenEndpoint.prepare(request);
      case 'usersMe':
      case 'workspaces':
        return this.#openApi.prepare(route.name, request, url, logid);
      case 'chat':
        return this.#chat.prepare(request, url, logid);
    }
  }

  /** approve()/deny(): the authorize and decision steps, minus the HTML the user would see. */
  async #decideFor(authorizeUrl: string, approved: boolean): Promise<string> {
    const url = new URL(authorizeUrl);
    const route = matchRoute(url, { api: this.apiOrigin, web: this.webOrigin });
    if (route?.name !== 'authorize') {
      throw new TypeError(`Coze model: ${url.origin}${url.pathname} is not an authorize URL of ${this.webOrigin}`);
    }
    const started = this.#authorize.start(url, route.workspaceId);
    this.#record('GET', 'web', url.pathname, 'authorize', outcomeStatus(started));
    const decided = started.type === 'consent' ? this.#authorize.decide(started.pendingId, approved) : started;
    if (started.type === 'consent') this.#record('POST', 'web', DECISION_PATH, 'decision', outcomeStatus(decided));
    if (decided.type !== 'redirect') {
      const reason = decided.type === 'error-page' ? decided.message : decided.type;
      throw new Error(`Coze model: the authorize request shows an error page instead of redirecting: ${reason}`);
    }
    return decided.location;
  }

  #record(method: string, origin: 'api' | 'web', path: string, kind: RequestLogEntry['kind'], status: number): void {
    this.#recorder.record({ time: this.#baseNow(), method, origin, path, kind, status });
  }
}

function methodNotAllowed(route: Route): PreparedRequest {
  const kinds = { authorize: 'authorize', decision: 'decision', token: 'token', usersMe: 'api', workspaces: 'api', chat: 'chat' } as const;
  const answer = (): Response => new Response(null, { status: 405, headers: { Allow: `${route.method}, OPTIONS` } });
  return { kind: kinds[route.name], respond: answer, fail: answer };
}

function checkedLatency(ms: number): number {
  if (!(ms >= 0 && ms < Infinity)) throw new RangeError(`Coze model: latency must be a finite number >= 0, got ${ms}`);
  return ms;
}

function checkedClockOffset(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`Coze model: clock offset must be a finite number of ms, got ${ms}`);
  return ms;
}

function initialTokenLatency(option: CozeModelOptions['tokenLatencyMs']): TokenLatency {
  if (option === undefined || typeof option === 'number') {
    const ms = checkedLatency(option ?? 0);
    return { exchange: ms, refresh: ms, token: ms };
  }
  return { exchange: checkedLatency(option.exchange ?? 0), refresh: checkedLatency(option.refresh ?? 0), token: 0 };
}

/** A delay knob, checked like `setLatency`'s. */
function nonNegativeDelay(ms: number): number {
  if (!(ms >= 0)) throw new RangeError(`Coze model: chat chunk delay must be >= 0, got ${ms}`);
  return ms;
}

/** The lifetime fields that are set, so that `undefined` never overrides a default. */
function definedOnly(source: Partial<TokenLifetimes>): Partial<TokenLifetimes> {
  const result: Partial<TokenLifetimes> = {};
  for (const key of ['accessTokenTtlSeconds', 'refreshTokenTtlSeconds'] as const) {
    const value = source[key];
    if (value !== undefined) {
      if (!(value > 0)) throw new RangeError(`Coze model: ${key} must be > 0, got ${value}`);
      result[key] = value;
    }
  }
  return result;
}
