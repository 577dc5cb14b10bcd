import { defineConfig } from 'vite';

/**
 * The token vault's worker script, built on its own into `dist/vault/vaultWorker.js`: one file
 * with no imports (an IIFE), so it runs as a module or a classic worker, and an app can copy it
 * as is (`workerUrl`) when its bundler does not follow `new URL(…, import.meta.url)`.
 * `src/core/vault/openVaultWorker.ts` points at it by that relative path. Runs after the library
 * build (`npm run build`), which leaves `dist/vault/` to this one.
 */
export default defineConfig({
  build: {
    outDir: 'dist/vault',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: {
      entry: { vaultWorker: 'src/vault/vaultWorker.ts' },
      formats: ['iife'],
      name: 'ReactCozeAuthVault',
      fileName: () => 'vaultWorker.js',
    },
  },
});
