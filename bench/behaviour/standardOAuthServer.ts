import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenHttp } from '../lib/listenHttp';
import { RequestLog, sleep } from './requestLog';

/**
 * A small, standard OAuth 2.0 / OpenID Connect provider for the peers, which cannot speak Coze's
 * JSON token body: discovery, an authorize endpoint that approves at once, and a
 * form-urlencoded token endpoint (RFC 6749 §4.1.3 / §6) with PKCE S256 and rotating refresh
 * tokens. A spent code or refresh token gets `invalid_grant`, as on Coze, so double exchanges and
 * racing refreshes show up as errors rather than hide. ID tokens carry the claims clients check
 * (iss, aud, sub, nonce, exp, iat) and a dummy RS256 signature: no browser library verifies it.
 */
export interface StandardOAuthServerOptions {
  clientId: string;
  /** Browser origin allowed by CORS (the bench app). */
  appOrigin: string;
  accessTokenTtlSeconds: number;
  /** Added before every answer, like a network round trip. */
  latencyMs: number;
  /** Added before a CORS preflight's answer, on top of `latencyMs`. Default 0. */
  preflightLatencyMs?: number;
  /** Server clock, ms (the bench moves it together with the browser's). */
  now: () => number;
  log: RequestLog;
}

export interface StandardOAuthServer {
  origin: string;
  close(): Promise<void>;
}

interface PendingCode {
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  scope: string;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startStandardOAuthServer(options: StandardOAuthServerOptions): Promise<StandardOAuthServer> {
  const { clientId, appOrigin, log } = options;
  const codes = new Map<string, PendingCode>();
  const liveRefreshTokens = new Map<string, string>(); // refresh token → scope
  const server = await listenHttp((req, res) => handle(req, res));
  const origin = `http://127.0.0.1:${server.port}`;
  // auth0-spa-js expects `${domain}/`; everyone else reads it from discovery, so one value fits all.
  const issuer = `${origin}/`;

  const idToken = (nonce: string | undefined) => {
    const now = Math.floor(options.now() / 1000);
    const claims = { iss: issuer, sub: 'bench-user', aud: clientId, iat: now, exp: now + options.accessTokenTtlSeconds, nonce };
    return `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'bench' }))}.${base64url(JSON.stringify(claims))}.${base64url('not-verified')}`;
  };

  const issueTokens = (scope: string, nonce: string | undefined) => {
    const refreshToken = base64url(randomBytes(24));
    liveRefreshTokens.set(refreshToken, scope);
    return {
      access_token: base64url(randomBytes(24)),
      token_type: 'Bearer',
      expires_in: options.accessTokenTtlSeconds,
      refresh_token: refreshToken,
      scope,
      ...(scope.split(' ').includes('openid') ? { id_token: idToken(nonce) } : {}),
    };
  };

  const tokenGrant = (form: URLSearchParams): { status: number; body: object; kind: string } => {
    const fail = (kind: string, error: string) => ({ status: 400, body: { error }, kind });
    if (form.get('client_id') !== clientId) return fail('token', 'invalid_client');
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const pending = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? ''); // single use, whatever happens next
      if (!pending) return fail('token-exchange', 'invalid_grant');
      const verifier = form.get('code_verifier') ?? '';
      if (base64url(createHash('sha256').update(verifier).digest()) !== pending.challenge) return fail('token-exchange', 'invalid_grant');
      if (form.get('redirect_uri') !== pending.redirectUri) return fail('token-exchange', 'invalid_grant');
      return { status: 200, body: issueTokens(pending.scope, pending.nonce), kind: 'token-exchange' };
    }
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      const scope = liveRefreshTokens.get(token);
      liveRefreshTokens.delete(token); // rotation: the old one is spent
      if (scope === undefined) return fail('token-refresh', 'invalid_grant');
      return { status: 200, body: issueTokens(scope, undefined), kind: 'token-refresh' };
    }
    return fail('token', 'unsupported_grant_type');
  };

  const cors = (req: IncomingMessage): Record<string, string> =>
    req.headers.origin === appOrigin
      ? { 'Access-Control-Allow-Origin': appOrigin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' }
      : { Vary: 'Origin' };

  const json = (res: ServerResponse, req: IncomingMessage, status: number, body: object) =>
    res
      .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...cors(req) })
      .end(JSON.stringify(body));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    await sleep(options.latencyMs);
    if (req.method === 'OPTIONS') {
      if (options.preflightLatencyMs) await sleep(options.preflightLatencyMs);
      log.add('idp', 'preflight', req.method, path, 204);
      res
        .writeHead(204, {
          ...cors(req),
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'Content-Type',
          'Access-Control-Max-Age': '600',
        })
        .end();
      return;
    }
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      log.add('idp', 'discovery', req.method, path, 200);
      json(res, req, 200, {
        issuer,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        userinfo_endpoint: `${origin}/userinfo`,
        end_session_endpoint: `${origin}/logout`,
        jwks_uri: `${origin}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['openid', 'offline_access', 'profile', 'email'],
      });
      return;
    }
    if (req.method === 'GET' && path === '/authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      const ok =
        q.get('client_id') === clientId &&
        q.get('response_type') === 'code' &&
        q.get('code_challenge_method') === 'S256' &&
        !!q.get('code_challenge') &&
        redirectUri.startsWith(`${appOrigin}/`);
      log.add('idp', 'authorize', req.method, path, ok ? 302 : 400);
      if (!ok) {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad authorize request');
        return;
      }
      const code = base64url(randomBytes(16));
      codes.set(code, {
        redirectUri,
        challenge: q.get('code_challenge') ?? '',
        nonce: q.get('nonce') ?? undefined,
        scope: q.get('scope') ?? '',
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      if (q.has('state')) back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { Location: back.href, 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (req.method === 'POST' && (path === '/token' || path === '/oauth/token')) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      // Standard clients send a form; auth0-spa-js can be told to send JSON, so accept both.
      const form = req.headers['content-type']?.includes('application/json')
        ? new URLSearchParams(JSON.parse(raw) as Record<string, string>)
        : new URLSearchParams(raw);
      const result = tokenGrant(form);
      log.add('idp', result.kind, req.method, path, result.status);
      json(res, req, result.status, result.body);
      return;
    }
    if (req.method === 'GET' && path === '/userinfo') {
      log.add('idp', 'userinfo', req.method, path, 200);
      json(res, req, 200, { sub: 'bench-user' });
      return;
    }
    log.add('idp', 'other', req.method ?? 'GET', path, 404);
    res.writeHead(404, cors(req)).end();
  };

  return { origin, close: server.close };
}
