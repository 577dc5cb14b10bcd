import { CozeAPI, type ClientOptions } from '@coze/api';
import type { CozeSession } from './session/CozeSession.js';

const clients = new WeakMap<CozeSession, CozeAPI>();

/** `CozeAPI` options you may add; `baseURL` and `token` always come from the session. */
export type CozeClientOptions = Omit<ClientOptions, 'baseURL' | 'token'>;

/**
 * The one `CozeAPI` client of a session (options apply when it is first created). Its `token` is a getter over `session.getToken()`, so every
 * request carries a fresh token and the client never needs re-creating when tokens rotate.
 */
export function getCozeClient(session: CozeSession, options: CozeClientOptions = {}): CozeAPI {
  let client = clients.get(session);
  if (!client) {
    client = new CozeAPI({ ...options, baseURL: session.config.baseURL, token: () => session.getToken() });
    clients.set(session, client);
  }
  return client;
}

/** True for Coze's "token missing, expired or revoked" answers (HTTP 401, or OpenAPI code 4100). */
export function isCozeUnauthorized(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code } = error as { status?: unknown; code?: unknown };
  return status === 401 || code === 4100;
}
