import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
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
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

/**
 * Serves the bench apps on http://localhost:PORT, a different origin from the OAuth servers on
 * 127.0.0.1, as in production. `/<library>/…` is that library's single-page app; hashed assets are
 * cached for a year, like any deployed SPA, so a lazy chunk fetched at login is not fetched again
 * on the callback page.
 */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const server = await listenHttp((req, res) => handle(req, res));
  const origin = `http://localhost:${server.port}`;

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
        const body = await readFile(file);
        options.log.add('app', 'script', req.method ?? 'GET', path, 200);
        res
          .writeHead(200, {
            'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
            'Cache-Control': 'public, max-age=31536000, immutable',
          })
          .end(body);
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
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      .end(
        `<!doctype html><html><head><meta charset="utf-8"><title>bench ${libraryId}</title>` +
          `<script>window.BENCH_CONFIG=${config}</script>` +
          `<script type="module" src="/${entry}"></script></head><body><div id="root"></div></body></html>`,
      );
  };

  return { origin, close: server.close };
}
