/** Query parameters an authorization response may add; removed from the address bar afterwards. */
export const CALLBACK_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri'] as const;

/** The `state` of a URL carrying an authorization response (`state` plus `code` or `error`), else null. */
export function authorizationResponseState(url: string): string | null {
  try {
    const params = new URL(url).searchParams;
    return params.has('code') || params.has('error') ? params.get('state') || null : null;
  } catch {
    return null;
  }
}

/** True when the URL carries an authorization response, i.e. a callback worth handling. */
export function hasAuthorizationResponse(url: string): boolean {
  return authorizationResponseState(url) !== null;
}

/** The same URL with the authorization response parameters removed. */
export function stripCallbackParams(url: string): string {
  const parsed = new URL(url);
  for (const name of CALLBACK_PARAMS) parsed.searchParams.delete(name);
  return parsed.href;
}

/**
 * Removes the authorization response from the address bar (history.replaceState) when the page
 * shows the callback being handled, so Back, bookmarks and analytics never see a code.
 */
export function stripCallbackFromAddressBar(url: string): void {
  const loc = globalThis.location;
  const history = globalThis.history;
  if (!loc || !history) return;
  let current: URL;
  try {
    current = new URL(loc.href);
    if (new URL(url, loc.href).href !== current.href) return;
  } catch {
    return;
  }
  if (!CALLBACK_PARAMS.some((name) => current.searchParams.has(name))) return;
  history.replaceState(history.state, '', stripCallbackParams(current.href));
}
