import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchConfig } from './apps/harness';
import { listenHttp } from '../lib/listenHttp';
import { RequestLog, sleep } from './requestLog';

export interface AppServer {
  origin: string;
  close(): Promise<void>;
}

export interface AppServerOptions {
  /** Vite's output folder (holds assets/). */
  outDir: string;
  /** Entry script (relative to outDir) of each library's app, by library id. */
  entries: Record<string, string>;
  /** What each app is told (endpoints), by library id; `appOrigin` is filled in here. */
  config: (libraryId: string, appOrigin: string) => BenchConfig;
  latencyMs: number;
  log: RequestLog;
  /** Chunks each app's page preloads (`<link rel="modulepreload">`), by library id. Default none. */
  preloads?: Record<string, readonly string[]>;
  /** Serve assets gzip-compressed (level 9) to browsers that accept it, as a production server would. Default false. */
  gzip?: boolean;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

/** The client id every bench app signs in with, at the bench's IdP and at the local Coze. */
export const BENCH_CLIENT_ID = 'bench-client';

/** Where the bench's servers listen; filled in as they start. */
export interface BenchOrigins {
  idp: string;
  cozeApi: string;
  cozeWeb: string;
}

/** Each app's `window.BENCH_CONFIG`: its own routes on the app server, and the servers' origins. */
export function benchConfigFor(origins: BenchOrigins): (libraryId: string, appOrigin: string) => BenchConfig {
  return (libraryId, appOrigin) => ({
    libraryId,
    appOrigin,
    redirectUri: `${appOrigin}/${libraryId}/callback`,
    homeUrl: `${appOrigin}/${libraryId}/`,
    clientId: BENCH_CLIENT_ID,
    idpOrigin: origins.idp,
    cozeApiOrigin: origins.cozeApi,
    cozeWebOrigin: origins.cozeWeb,
  });
}

/**
 * Serves the bench apps on http://localhost:PORT, a different origin from the OAuth servers on
 * 127.0.0.1, as in production. `/<library>/…` is that library's single-page app; hashed assets are
 * cached for a year, like any deployed SPA, so a lazy chunk fetched at login is not fetched again
 * on the callback page.
 */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const server = await listenHttp((req, res) => handle(req, res));
  const origin = `http://localhost:${server.port}`;
  const gzipped = new Map<string, Buffer>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    await sleep(options.latencyMs);
    if (path.startsWith('/assets/')) {
      const file = normalize(join(options.outDir, path));
      if (!file.startsWith(options.outDir)) {
        res.writeHead(403).end();
        return;
      }
      try {
        let body: Buffer = await readFile(file);
        const headers: Record<string, string> = {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Cache-Control': 'public, max-age=31536000, immutable',
        };
        if (options.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
          const compressed = gzipped.get(file) ?? gzipSync(body, { level: 9 });
          gzipped.set(file, compressed);
          body = compressed;
          headers['Content-Encoding'] = 'gzip';
          headers.Vary = 'Accept-Encoding';
        }
        options.log.add('app', 'script', req.method ?? 'GET', path, 200);
        res.writeHead(200, { ...headers, 'Content-Length': String(body.length) }).end(body);
      } catch {
        options.log.add('app', 'missing', req.method ?? 'GET', path, 404);
        res.writeHead(404).end();
      }
      return;
    }
    const libraryId = path.split('/')[1] ?? '';
    const entry = options.entries[libraryId];
    if (!entry) {
      options.log.add('app', 'other', req.method ?? 'GET', path, 404);
      res.writeHead(404).end();
      return;
    }
    options.log.add('app', 'document', req.method ?? 'GET', path, 200);
    const config = JSON.stringify(options.config(libraryId, origin)).replaceAll('<', '\\u003c');
    // What Vite's HTML plugin writes: the entry as a module script, its static imports preloaded.
    const preloads = (options.preloads?.[libraryId] ?? [])
      .map((chunk) => `<link rel="modulepreload" crossorigin href="/${chunk}">`)
      .join('');
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      .end(
        `<!doctype html><html><head><meta charset="utf-8"><title>bench ${libraryId}</title>` +
          `<script>window.BENCH_CONFIG=${config}</script>` +
          `<script type="module" crossorigin src="/${entry}"></script>${preloads}</head><body><div id="root"></div></body></html>`,
      );
  };

  return { origin, close: server.close };
}
