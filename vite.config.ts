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

/**
 * Library build: one ESM file per source module (like the .d.ts files beside them), so the app's
 * bundler tree-shakes and splits at module granularity and the lazy sign-in code stays lazy.
 * Types come from `tsc -p tsconfig.build.json`.
 */
export default defineConfig({
  plugins: [react(), clientDirectivePlugin()],
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
      },
      formats: ['es'],
    },
    rolldownOptions: {
      external,
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});
