import { CozeAPI } from '@coze/api';
import type { CozeSession } from './session/CozeSession';

const clients = new WeakMap<CozeSession, CozeAPI>();

/**
 * The one `CozeAPI` client of a session. Its `token` is a getter over `session.getToken()`, so every
 * request carries a fresh token and the client never needs re-creating when tokens rotate.
 */
export function getCozeClient(session: CozeSession): CozeAPI {
  let client = clients.get(session);
  if (!client) {
    client = new CozeAPI({ baseURL: session.config.baseURL, token: () => session.getToken() });
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
