/**
 * Default way to leave the callback route: rewrite the URL in place (no reload, no history entry
 * holding the old callback) and tell client-side routers, which listen to `popstate`.
 */
export function replaceLocation(path: string): void {
  window.history.replaceState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
}
