/**
 * The token vault's worker script: `dist/vault/vaultWorker.js`, one self-contained file (see
 * `vite.worker.config.ts`). Started as a SharedWorker it serves every tab of the app, one port per
 * tab; started as a dedicated Worker (where SharedWorker is missing) it serves its one page
 * through its own global scope. All the logic is in `createVault.ts`; this is only the glue.
 * @packageDocumentation
 */
import { createVault, type VaultPort } from './createVault.js';

/** The parts of the worker global scopes used here (the project's `lib` is DOM, not WebWorker). */
interface WorkerScope {
  onconnect?: ((event: { ports: readonly VaultPort[] }) => void) | null;
  postMessage?: VaultPort['postMessage'];
  onmessage?: VaultPort['onmessage'];
}

const scope = globalThis as unknown as WorkerScope;
const vault = createVault();

if ('onconnect' in scope) {
  // SharedWorkerGlobalScope: each page that opens the worker arrives as a `connect` event.
  scope.onconnect = (event) => {
    const port = event.ports[0];
    if (port) vault.attach(port);
  };
} else {
  // DedicatedWorkerGlobalScope: the scope itself is the page's port.
  vault.attach(scope as VaultPort);
}
