// Node-only module: the library build compiles with `types: []`, so name the Node types here.
/// <reference types="node" />
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startFakeCozeServer, type FakeCozeServer } from './nodeServer.js';

/** Defaults that fit a Vite dev server on its default port. */
const DEFAULTS = {
  apiPort: 4010,
  webPort: 4011,
  clientId: 'coze-demo-client',
  redirectUri: 'http://127.0.0.1:5173/callback',
};

/** What `--help` prints. */
export const USAGE = `Usage: fake-coze [options]
  --api-port <n>        port of the api origin (default ${DEFAULTS.apiPort}; 0 = any free port)
  --web-port <n>        port of the web origin (default ${DEFAULTS.webPort}; 0 = any free port)
  --host <host>         interface to listen on (default 127.0.0.1)
  --client-id <id>      OAuth app client id (default ${DEFAULTS.clientId})
  --redirect-uri <url>  registered redirect URI, repeatable (default ${DEFAULTS.redirectUri})
  --app-origin <url>    browser origin allowed by CORS, repeatable (default: the redirect URIs' origins)
  --access-ttl <s>      access token lifetime in seconds (default 900)
  --latency <ms>        delay before every answer (default 0)
  --token-latency <ms>  extra delay of token endpoint answers, code exchange and refresh (default 0)
  --clock-offset=<ms>   Coze's clock minus the real one (default 0); a negative value needs the
                        "=" form: --clock-offset=-3600000 is a browser an hour ahead of Coze
  --chat-chunk-ms <n>   pause before each streamed answer chunk of POST /v3/chat (default 0)
  --auto-approve        skip the consent page`;

/**
 * Starts the fake Coze server from command-line arguments and prints its two origins.
 * Resolves to the running server (the caller, or Ctrl-C, stops it).
 *
 * @param argv - The arguments after the script name, e.g. `process.argv.slice(2)`.
 * @param print - Where the origins go. Default `console.log`.
 */
export async function main(
  argv: readonly string[],
  print: (line: string) => void = console.log,
): Promise<FakeCozeServer | undefined> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      'api-port': { type: 'string' },
      'web-port': { type: 'string' },
      host: { type: 'string' },
      'client-id': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'app-origin': { type: 'string', multiple: true },
      'access-ttl': { type: 'string' },
      latency: { type: 'string' },
      'token-latency': { type: 'string' },
      'clock-offset': { type: 'string' },
      'chat-chunk-ms': { type: 'string' },
      'auto-approve': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    print(USAGE);
    return undefined;
  }
  const redirectUris = values['redirect-uri'] ?? [DEFAULTS.redirectUri];
  const appOrigins = values['app-origin'];
  const accessTtl = values['access-ttl'];
  const latency = values.latency;
  const tokenLatency = values['token-latency'];
  const clockOffset = values['clock-offset'];
  const chatChunkMs = values['chat-chunk-ms'];
  const server = await startFakeCozeServer({
    apiPort: integer('--api-port', values['api-port'], DEFAULTS.apiPort),
    webPort: integer('--web-port', values['web-port'], DEFAULTS.webPort),
    ...(values.host === undefined ? {} : { host: values.host }),
    clients: [
      {
        clientId: values['client-id'] ?? DEFAULTS.clientId,
        name: 'Coze demo app',
        redirectUris,
        ...(appOrigins === undefined ? {} : { allowedOrigins: appOrigins }),
      },
    ],
    ...(accessTtl === undefined ? {} : { accessTokenTtlSeconds: integer('--access-ttl', accessTtl, 0) }),
    ...(latency === undefined ? {} : { latencyMs: integer('--latency', latency, 0) }),
    ...(tokenLatency === undefined ? {} : { tokenLatencyMs: integer('--token-latency', tokenLatency, 0) }),
    ...(clockOffset === undefined ? {} : { clockOffsetMs: signedInteger('--clock-offset', clockOffset) }),
    ...(chatChunkMs === undefined ? {} : { chatChunkDelayMs: integer('--chat-chunk-ms', chatChunkMs, 0) }),
    autoApprove: values['auto-approve'] ?? false,
  });
  print(`Fake Coze api origin: ${server.apiOrigin}`);
  print(`Fake Coze web origin: ${server.webOrigin}`);
  return server;
}

function integer(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new TypeError(`${flag} must be a non-negative integer, got "${raw}"\n\n${USAGE}`);
  return Number(raw);
}

function signedInteger(flag: string, raw: string): number {
  if (!/^[-+]?\d+$/.test(raw)) throw new TypeError(`${flag} must be an integer, got "${raw}"\n\n${USAGE}`);
  return Number(raw);
}

// Run when executed directly (e.g. `vite-node src/testing/server/cli.ts -- --auto-approve`),
// not when imported by a test.
const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main(process.argv.slice(2)).then(
    (server) => {
      if (!server) return;
      const stop = (): void => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
