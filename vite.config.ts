import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Peers and runtime dependencies stay external: the app's bundler resolves them once, and
// `import('oidc-client-ts')` stays a dynamic import that the app splits into a lazy chunk.
const external = [
  /^react($|\/)/,
  /^react-dom($|\/)/,
  /^@tanstack\/react-query($|\/)/,
  /^@coze\/api($|\/)/,
  /^oidc-client-ts($|\/)/,
  /^msw($|\/)/,
  /^node:/,
];

/** Library build: ESM entries for the package and its `/testing` subpath. Types come from `tsc -p tsconfig.build.json`. */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: {
      entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', 'testing-node': 'src/testing/node.ts' },
      formats: ['es'],
    },
    rollupOptions: { external },
  },
});
