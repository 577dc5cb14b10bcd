/** Where Coze's token endpoint lives under an API base (see `config.ts`). */
const TOKEN_PATH = '/api/permission/oauth2/token';

// Plain http only where nothing crosses a network: the local Coze-compatible server of the tests.
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks the one URL the vault will ever post a grant to, and returns it normalised. Refused:
 * anything but https (http on loopback only), credentials in the URL, a query or fragment (a
 * place to smuggle data), and a path that is not Coze's token endpoint. The vault is configured
 * by the first page that connects, so this is what keeps even that page honest.
 */
export function checkTokenEndpoint(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!secure || url.username || url.password || url.search || url.hash) return undefined;
  if (!url.pathname.endsWith(TOKEN_PATH)) return undefined;
  return url.href;
}
