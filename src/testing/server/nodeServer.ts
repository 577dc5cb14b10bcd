// Node-only module: the library build compiles with `types: []`, so name the Node types here.
/// <reference types="node" />
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCozeModel } from './createCozeModel.js';
import { NETWORK_ERROR } from './networkError.js';
import type { CozeModel, CozeModelOptions } from './types.js';

/** Options of {@link startFakeCozeServer}: the model's options, with ports instead of origins. */
export interface FakeCozeServerOptions extends Omit<CozeModelOptions, 'apiOrigin' | 'webOrigin'> {
  /** Port of the api origin. Default 0: any free port. */
  apiPort?: number;
  /** Port of the web origin (authorize page). Default 0: any free port. */
  webPort?: number;
  /** Interface to listen on, also used in the origins. Default `127.0.0.1`. */
  host?: string;
}

/** A running fake Coze: two HTTP servers in front of one model. */
export interface FakeCozeServer {
  model: CozeModel;
  /** e.g. `http://127.0.0.1:4010`; pass it as the SDK's `baseURL`. */
  apiOrigin: string;
  /** e.g. `http://127.0.0.1:4011`; the web host that serves the authorize page. */
  webOrigin: string;
  /** Stops both servers and drops their open connections. */
  close(): Promise<void>;
}

/**
 * Starts the fake Coze on two real ports (Coze's api and www hosts are different origins, and
 * browsers treat them so), for browser end-to-end tests and the demo.
 *
 * Answers are written as the model produces them, so `POST /v3/chat` with `stream: true` reaches
 * the client event by event; when the client disconnects, the request's `signal` aborts and the
 * answer's body is cancelled, which stops the bot.
 */
export async function startFakeCozeServer(options: FakeCozeServerOptions): Promise<FakeCozeServer> {
  const { apiPort = 0, webPort = 0, host = '127.0.0.1', ...modelOptions } = options;
  const apiServer = createServer();
  const webServer = createServer();
  try {
    await Promise.all([listen(apiServer, apiPort, host), listen(webServer, webPort, host)]);
  } catch (error) {
    await Promise.all([closeServer(apiServer), closeServer(webServer)]);
    throw error;
  }
  // Origins are known only once the ports are bound, so the model is created after listening.
  const apiOrigin = originOf(host, apiServer);
  const webOrigin = originOf(host, webServer);
  const model = createCozeModel({ ...modelOptions, apiOrigin, webOrigin });
  apiServer.on('request', (req: IncomingMessage, res: ServerResponse) => void serve(model, apiOrigin, req, res));
  webServer.on('request', (req: IncomingMessage, res: ServerResponse) => void serve(model, webOrigin, req, res));
  return {
    model,
    apiOrigin,
    webOrigin,
    close: async () => {
      await Promise.all([closeServer(apiServer), closeServer(webServer)]);
    },
  };
}

async function serve(model: CozeModel, origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // The request's signal: aborted when the client goes away before the answer is complete, so a
  // streamed chat stops producing.
  const disconnected = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) disconnected.abort(new DOMException('The client closed the connection', 'AbortError'));
  });
  try {
    const outcome = await model.handle(await toRequest(origin, req, disconnected.signal));
    if (outcome === NETWORK_ERROR) {
      // What a crashed upstream or a cut cable looks like to the client: no response at all.
      req.socket.destroy();
      return;
    }
    if (!outcome) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(outcome.status, Object.fromEntries(outcome.headers));
    await writeBody(outcome.body, res, disconnected.signal);
  } catch (error) {
    // A bug in the model: show it rather than hang the client.
    if (res.headersSent) res.destroy();
    else res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(String(error));
  }
}

/**
 * Sends a WHATWG body chunk by chunk as the model produces it (an event stream must reach the
 * client event by event, not when it ends), waiting for the socket when it is full. When the
 * client goes away, the body is cancelled so that its producer stops.
 */
async function writeBody(body: ReadableStream<Uint8Array> | null, res: ServerResponse, disconnected: AbortSignal): Promise<void> {
  if (!body) {
    res.end();
    return;
  }
  const reader = body.getReader();
  const cancel = (): void => void reader.cancel(disconnected.reason).catch(() => undefined);
  disconnected.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || disconnected.aborted) break;
      if (!res.write(value)) await drained(res);
    }
    if (!disconnected.aborted) res.end();
  } finally {
    disconnected.removeEventListener('abort', cancel);
  }
}

/** Resolves when the response can take more data, or is closed. */
function drained(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** IncomingMessage → WHATWG Request. The URL uses the server's own origin, not the Host header. */
async function toRequest(origin: string, req: IncomingMessage, signal: AbortSignal): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    signal,
    ...(hasBody ? { body: await readBody(req) } : {}),
  });
}

async function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  // A copy typed as plain bytes: a Buffer may view a shared pool, which `BodyInit` rejects.
  return new Uint8Array(Buffer.concat(chunks));
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}

function originOf(host: string, server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
