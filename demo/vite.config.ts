import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The demo SPA. `npm run demo` (demo/serve.ts) starts it next to the local fake Coze. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    // The demo imports the library by its package name, exactly as an app would.
    alias: [
      { find: /^react-coze-auth$/, replacement: fileURLToPath(new URL('../src/index.ts', import.meta.url)) },
    ],
  },
  server: { port: 5173, strictPort: true, host: 'localhost' },
  envPrefix: 'COZE_DEMO_',
});
