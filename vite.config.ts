import react from '@vitejs/plugin-react';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// Peers and runtime dependencies stay external: the app's bundler resolves them once, and
// `import('oidc-client-ts')` stays a dynamic import that the app splits into a lazy chunk.
const external = [
  /^react($|\/)/,
  /^react-dom($|\/)/,
  /^@tanstack\/react-query($|\/)/,
  /^@coze\/api($|\/)/,
  /^axios($|\/)/,
  /^oidc-client-ts($|\/)/,
  /^msw($|\/)/,
  /^node:/,
];

const SRC = fileURLToPath(new URL('src/', import.meta.url));

/**
 * Source folders whose modules use hooks or browser APIs: each of their output files must start
 * with `'use client'`, so that React Server Components frameworks (Next.js App Router) put them on
 * the client side of the boundary. Everything else (the framework-agnostic core, the fake server,
 * the entry barrels that only re-export) stays usable from server code. `scripts/check-package.mjs`
 * checks the packed tarball against the same rule.
 */
export const CLIENT_MODULE_DIRS = ['react', 'query', 'testing/react'];

function isClientModule(id: string): boolean {
  const path = relative(SRC, id).split(sep).join('/');
  return CLIENT_MODULE_DIRS.some((dir) => path.startsWith(`${dir}/`));
}

/**
 * Writes `'use client'` as the first statement of every output chunk holding a React module.
 * Bundlers drop module-level directives from sources, and `src/react` has none anyway: the rule
 * lives here, by folder, rather than in each file.
 */
function clientDirectivePlugin(): Plugin {
  return {
    name: 'react-coze-auth:use-client',
    apply: 'build',
    banner(chunk) {
      return chunk.moduleIds.some(isClientModule) ? "'use client';" : '';
    },
  };
}

// What `src/core/vault/openVaultWorker.ts` writes, and what the built file must still say.
const VAULT_WORKER_URL = "new URL('../../vault/vaultWorker.js', import.meta.url)";
const VAULT_WORKER_PLACEHOLDER = '__REACT_COZE_AUTH_VAULT_WORKER_URL__';

/**
 * Ships `new SharedWorker(new URL('../../vault/vaultWorker.js', import.meta.url), …)` as written.
 * Vite would otherwise bundle the worker itself and rewrite the URL to a root-absolute
 * `/assets/…` path behind `'' + import.meta.url`: wrong in an app's build, and a shape the app's
 * bundler (Vite, webpack) no longer recognises as a worker to copy. The worker file is built on
 * its own, self-contained, by `vite.worker.config.ts` into `dist/vault/vaultWorker.js`, next to
 * where the URL points.
 */
function keepVaultWorkerUrlPlugin(): Plugin {
  return {
    name: 'react-coze-auth:keep-vault-worker-url',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('/core/vault/openVaultWorker.ts')) return null;
      if (!code.includes(VAULT_WORKER_URL)) this.error(`expected ${VAULT_WORKER_URL} in ${id}`);
      return { code: code.replaceAll(VAULT_WORKER_URL, `new URL(${VAULT_WORKER_PLACEHOLDER})`), map: null };
    },
    renderChunk(code) {
      if (!code.includes(VAULT_WORKER_PLACEHOLDER)) return null;
      return { code: code.replaceAll(`new URL(${VAULT_WORKER_PLACEHOLDER})`, VAULT_WORKER_URL), map: null };
    },
  };
}

/**
 * Library build: one ESM file per source module (like the .d.ts files beside them), so the app's
 * bundler tree-shakes and splits at module granularity and the lazy sign-in code stays lazy.
 * Types come from `tsc -p tsconfig.build.json`.
 */
export default defineConfig({
  plugins: [react(), clientDirectivePlugin(), keepVaultWorkerUrlPlugin()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: {
      entry: {
        index: 'src/index.ts',
        i18n: 'src/i18n.ts',
        'testing/index': 'src/testing/index.ts',
        'testing/node': 'src/testing/node.ts',
        'testing/msw': 'src/testing/msw.ts',
        // The page side of the token vault on its own (the e2e of the built worker loads it; the session loads it lazily in worker mode).
        'core/vault/vaultClient': 'src/core/vault/vaultClient.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      external,
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});
