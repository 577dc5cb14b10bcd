import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The demo's components (shown by some stories, run by test/stories) import the package by
    // name, as an app would: the same module as the sources the tests import.
    alias: [{ find: /^react-coze-auth$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }],
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    setupFiles: ['test/setup.ts'],
    restoreMocks: true,
    testTimeout: 15_000,
    // Vitest's default for `vitest run` is one worker per core minus one: a single worker on the
    // 2-core CI machine, which then runs one file at a time with a core mostly idle (much of a
    // file's time is jsdom setup and imports). Two workers there take the unit suite from ~160 s
    // to ~95 s. Machines with more cores keep Vitest's default.
    maxWorkers: availableParallelism() <= 2 ? 2 : undefined,
  },
});
