import type { PageToVaultMessage } from './vaultProtocol.js';

/** The page's end of a vault: the SharedWorker's port, or a dedicated Worker. */
export interface VaultEndpoint {
  postMessage(message: PageToVaultMessage): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  /** Called when the worker script fails to load or run (a wrong URL, a CSP refusal). */
  onerror: ((event: unknown) => void) | null;
  close(): void;
}

// Chromium keeps a SharedWorker created with this across a reload of its only tab, and for a
// while after the last tab closes; without it the vault (and the sign-in) dies on every reload.
// Spread rather than written inline: TypeScript's WorkerOptions does not know it yet, and
// bundlers read only the literal `type` of these options.
const KEEP_ACROSS_RELOADS = { extendedLifetime: true };

function sharedEndpoint(worker: SharedWorker): VaultEndpoint {
  const port = worker.port;
  const endpoint: VaultEndpoint = {
    postMessage: (message) => port.postMessage(message),
    onmessage: null,
    onerror: null,
    close: () => port.close(),
  };
  port.onmessage = (event) => endpoint.onmessage?.(event);
  worker.onerror = (event) => endpoint.onerror?.(event);
  return endpoint;
}

function dedicatedEndpoint(worker: Worker): VaultEndpoint {
  const endpoint: VaultEndpoint = {
    postMessage: (message) => worker.postMessage(message),
    onmessage: null,
    onerror: null,
    close: () => worker.terminate(),
  };
  worker.onmessage = (event) => endpoint.onmessage?.(event);
  worker.onerror = (event) => endpoint.onerror?.(event);
  return endpoint;
}

/**
 * Starts (or joins) the vault worker. Without `workerUrl` the script is the package's own
 * `dist/vault/vaultWorker.js`, written as `new SharedWorker(new URL(…, import.meta.url))` so that
 * Vite and webpack copy it into the app's build. Tabs share the vault only when they load it
 * from the same URL with the same name. Where SharedWorker is missing the vault is a dedicated
 * Worker: one per tab, so tabs do not share a sign-in.
 */
export function openVaultWorker(name: string, workerUrl: string | URL | undefined): VaultEndpoint {
  if (typeof SharedWorker === 'function') {
    return sharedEndpoint(
      workerUrl === undefined
        ? new SharedWorker(new URL('../../vault/vaultWorker.js', import.meta.url), { ...KEEP_ACROSS_RELOADS, name, type: 'module' })
        : new SharedWorker(workerUrl, { ...KEEP_ACROSS_RELOADS, name, type: 'module' }),
    );
  }
  return dedicatedEndpoint(
    workerUrl === undefined
      ? new Worker(new URL('../../vault/vaultWorker.js', import.meta.url), { name, type: 'module' })
      : new Worker(workerUrl, { name, type: 'module' }),
  );
}
