import type { OAuthErrorCode } from './types.js';

// RFC 6749 §5.1: responses carrying tokens must not be cached. Also used for consent pages,
// which carry a single-use request id.
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function jsonResponse(status: number, body: unknown, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('Content-Type', 'application/json; charset=utf-8');
  return response;
}

/** A token endpoint body (success or error), never cached. */
export function tokenEndpointResponse(status: number, body: unknown): Response {
  return jsonResponse(status, body, NO_STORE);
}

/**
 * Coze's token endpoint error: `error_code` and `error_message`, plus the RFC 6749 `error`
 * field that Coze sometimes sends, so clients reading either name work.
 */
export function oauthErrorResponse(status: number, error: OAuthErrorCode, message: string): Response {
  return tokenEndpointResponse(status, { error_code: error, error_message: message, error });
}

/** Coze's OpenAPI envelope for a success. */
export function openApiResponse(data: unknown, logid: string): Response {
  return jsonResponse(200, { code: 0, msg: '', data, detail: { logid } });
}

// Coze's OpenAPI error codes for the statuses an SDK tells apart (see APIError.generate).
const OPENAPI_CODES: Record<number, number> = { 400: 4000, 401: 4100, 403: 4101, 404: 4200, 429: 4013 };

/** Coze's OpenAPI error envelope: non-zero `code`, `msg`, and the log id in `detail`. */
export function openApiErrorResponse(status: number, msg: string, logid: string): Response {
  const code = OPENAPI_CODES[status] ?? 5000;
  return jsonResponse(status, { code, msg, detail: { logid } });
}

export function htmlResponse(status: number, html: string): Response {
  return new Response(html, {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE },
  });
}

/**
 * A 302. Not `Response.redirect()`: its headers are immutable, and the model adds the log id
 * and CORS headers afterwards.
 */
export function redirectResponse(location: string): Response {
  return new Response(null, { status: 302, headers: { Location: location } });
}

/** `base` with `params` added to its query, keeping any query the registered URI already has. */
export function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}
