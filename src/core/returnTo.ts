import { CozeAuthError } from './errors.js';

/**
 * Turns a `returnTo` into a same-origin path (`/path?query#hash`), or `undefined` when it would
 * leave the app: other origins, protocol-relative `//host`, `/\host`, `javascript:` and friends.
 * The WHATWG URL parser does the normalising (tabs, newlines, backslashes) exactly as browsers do.
 */
export function toSameOriginPath(returnTo: string, origin: string): string | undefined {
  if (typeof returnTo !== 'string' || returnTo.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(returnTo, `${origin}/`);
  } catch {
    return undefined;
  }
  if (url.origin !== origin || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  // A path that resolved to `//host` (from `/.//host`, `/%2e//host`, `/a/..//host`) is a
  // protocol-relative URL to whoever uses it next: refused, not passed on.
  if (url.pathname.startsWith('//')) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Like {@link toSameOriginPath} but throws `unsafe_return_to`, for values the app passed in. */
export function requireSameOriginPath(returnTo: string, origin: string): string {
  const path = toSameOriginPath(returnTo, origin);
  if (path === undefined) {
    throw new CozeAuthError('unsafe_return_to', 'returnTo must be a path on this origin.');
  }
  return path;
}
