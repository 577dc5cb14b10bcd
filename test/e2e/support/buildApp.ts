import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const APP_ROOT = fileURLToPath(new URL('../app/', import.meta.url));
/**
 * What `react-coze-auth` resolves to: the sources by default; set COZE_E2E_LIBRARY_ENTRY to run
 * the same tests against another build of the library (e.g. `dist/index.js` after `npm run build`).
 */
const LIBRARY_ENTRY = process.env.COZE_E2E_LIBRARY_ENTRY
  ? resolve(process.env.COZE_E2E_LIBRARY_ENTRY)
  : fileURLToPath(new URL('../../../src/index.ts', import.meta.url));

/**
 * Builds the e2e SPA into `outDir` with Vite. It imports the library by its package name,
 * aliased to the TypeScript sources, exactly as an app would import the published package.
 *
 * A development build on purpose: React's StrictMode only double-invokes effects, and React only
 * reports its warnings, in development, and those are what the StrictMode scenario checks.
 */
export async function buildApp(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: APP_ROOT,
    mode: 'development',
    logLevel: 'warn',
    plugins: [react()],
    resolve: {
      alias: [{ find: /^react-coze-auth$/, replacement: LIBRARY_ENTRY }],
    },
    define: { 'process.env.NODE_ENV': JSON.stringify('development') },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      target: 'es2022',
      reportCompressedSize: false,
      // Two busy cores make some plugin hooks slow; that warning is noise in a test log.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  });
}
