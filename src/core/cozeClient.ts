import { CozeAPI, type ClientOptions } from '@coze/api';
import axios, { type AxiosResponse } from 'axios';
import type { CozeSession } from './session/CozeSession.js';

const clients = new WeakMap<CozeSession, CozeAPI>();

/** `CozeAPI` options you may add; `baseURL` and `token` always come from the session. */
export type CozeClientOptions = Omit<ClientOptions, 'baseURL' | 'token'>;

/** True for Coze's "token missing, expired or revoked" answers (HTTP 401, or OpenAPI code 4100). */
export function isCozeUnauthorized(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code, response } = error as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  return status === 401 || code === 4100 || response?.status === 401;
}

type AxiosLike = (config: AxiosRequestConfigLike) => Promise<AxiosResponse>;
type AxiosRequestConfigLike = { headers?: Record<string, unknown> } & Record<string, unknown>;

function bearerOf(headers: Record<string, unknown> | undefined): string {
  const value = headers?.authorization ?? headers?.Authorization;
  return typeof value === 'string' ? value.replace(/^Bearer\s+/i, '') : '';
}

/** A JSON answer with Coze's code 4100 (a stream's body is not looked into: its events carry errors). */
function isUnauthorizedBody(response: AxiosResponse): boolean {
  const data: unknown = response.data;
  return typeof data === 'object' && data !== null && (data as { code?: unknown }).code === 4100;
}

/**
 * The 401 rule, applied once for every call the client makes (JSON and streaming alike): when
 * Coze rejects the token, renew it — one refresh shared by every caller that saw the same token —
 * and send the call once more. A stream is retried only when it failed before its first event,
 * which is the only time this layer sees it fail. A second rejection is final.
 */
function withRenewalOnUnauthorized(session: CozeSession, send: AxiosLike): AxiosLike {
  return async (config) => {
    let rejection: { response: AxiosResponse } | { error: unknown };
    try {
      const response = await send(config);
      if (!isUnauthorizedBody(response)) return response;
      rejection = { response };
    } catch (error) {
      if (!isCozeUnauthorized(error)) throw error;
      rejection = { error };
    }
    let token: string;
    try {
      token = await session.handleUnauthorized(bearerOf(config.headers));
    } catch {
      // No fresh token (the grant is dead, or signed out meanwhile): the caller gets Coze's own
      // 401, not the renewal's error, which @coze/api would report as an HTTP 500.
      if ('response' in rejection) return rejection.response;
      throw rejection.error;
    }
    return send({ ...config, headers: { ...config.headers, authorization: `Bearer ${token}` } });
  };
}

/**
 * The one `CozeAPI` client of a session (options apply when it is first created). Its `token` is
 * a getter over `session.getToken()`, so every request carries a fresh token and the client never
 * needs re-creating when tokens rotate; a 401 renews the token and retries the call once.
 */
export function getCozeClient(session: CozeSession, options: CozeClientOptions = {}): CozeAPI {
  let client = clients.get(session);
  if (!client) {
    const send = (options.axiosInstance ?? axios) as AxiosLike;
    client = new CozeAPI({
      ...options,
      baseURL: session.config.baseURL,
      token: () => session.getToken(),
      axiosInstance: withRenewalOnUnauthorized(session, send),
    });
    clients.set(session, client);
  }
  return client;
}
