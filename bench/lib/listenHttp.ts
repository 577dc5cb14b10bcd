import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP server of the bench, listening on an ephemeral port of 127.0.0.1. */
export interface HttpListener {
  port: number;
  /** Stops listening and drops open (keep-alive) connections, so a run ends at once. */
  close(): Promise<void>;
}

/** Serves every request with `handle`; a handler that throws answers 500 with the error. */
export async function listenHttp(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<HttpListener> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
