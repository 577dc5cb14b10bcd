import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

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

/**
 * Library build: one ESM file per source module (like the .d.ts files beside them), so the app's
 * bundler tree-shakes and splits at module granularity and the lazy sign-in code stays lazy.
 * Types come from `tsc -p tsconfig.build.json`.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: {
      entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'testing/node': 'src/testing/node.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      external,
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});
