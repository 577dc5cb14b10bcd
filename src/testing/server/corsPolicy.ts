const ALLOWED_METHODS = 'GET, POST, OPTIONS';
// What the Coze SDK and our library send: the (possibly empty) bearer token, the JSON body,
// and the SDK's client user agent.
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Coze-Client-User-Agent'];
const ALLOWED_HEADER_SET = new Set(ALLOWED_HEADERS.map((name) => name.toLowerCase()));
// Long enough to spare most preflights in a test run, short enough to pick up config changes.
const MAX_AGE_SECONDS = '600';

/**
 * CORS for the registered app origins only. Unknown origins get no CORS headers at all, so the
 * browser blocks them, which is what a misconfigured app meets against the real Coze.
 */
export class CorsPolicy {
  readonly #isAllowedOrigin: (origin: string) => boolean;

  constructor(isAllowedOrigin: (origin: string) => boolean) {
    this.#isAllowedOrigin = isAllowedOrigin;
  }

  /** Answers an OPTIONS preflight: 204, with the CORS headers only for an allowed origin. */
  preflight(request: Request): Response {
    const headers = new Headers({ Vary: 'Origin' });
    const origin = this.#allowedOriginOf(request);
    if (origin) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
      headers.set('Access-Control-Allow-Headers', allowedRequestHeaders(request));
      headers.set('Access-Control-Max-Age', MAX_AGE_SECONDS);
    }
    return new Response(null, { status: 204, headers });
  }

  /** Adds the CORS headers of an actual (non-preflight) response. */
  decorate(request: Request, headers: Headers): void {
    headers.append('Vary', 'Origin');
    const origin = this.#allowedOriginOf(request);
    if (!origin) return;
    headers.set('Access-Control-Allow-Origin', origin);
    // Without this, browser code cannot read the log id that Coze support asks for.
    headers.set('Access-Control-Expose-Headers', 'x-tt-logid');
  }

  #allowedOriginOf(request: Request): string | undefined {
    const origin = request.headers.get('Origin');
    return origin && this.#isAllowedOrigin(origin) ? origin : undefined;
  }
}

/** Echoes the requested headers we allow (in the browser's spelling); all of them if none asked. */
function allowedRequestHeaders(request: Request): string {
  const requested = request.headers.get('Access-Control-Request-Headers');
  if (!requested) return ALLOWED_HEADERS.join(', ');
  return requested
    .split(',')
    .map((name) => name.trim())
    .filter((name) => ALLOWED_HEADER_SET.has(name.toLowerCase()))
    .join(', ');
}
