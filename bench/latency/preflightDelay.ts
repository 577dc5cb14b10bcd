import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through proxy that holds every CORS preflight (OPTIONS) for `delayMs` before forwarding
 * it. Chromium's network emulation delays every HTTP request but the preflights it sends itself
 * (they answer in 10–30 ms under a 150 ms `latency`), so the server side adds their round trip.
 * Used in front of the fake Coze api host; the standard OAuth server has the same knob built in.
 */
export async function startPreflightDelay(target: string, delayMs: number): Promise<{ origin: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const forward = () => {
      const out = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
      req.pipe(out);
    };
    if (req.method === 'OPTIONS') setTimeout(forward, delayMs);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, upstream.hostname, resolve));
  return {
    origin: `http://${upstream.hostname}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
