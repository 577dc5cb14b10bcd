import { defineConfig } from 'vitest/config';

/**
 * The example apps end to end (`npm run test:examples`): each file builds one example with its
 * own toolchain against the packed library, serves it, and drives Chromium against the fake Coze.
 * Run after `npm run build` and `node scripts/install-examples.mjs` (the npm script does both).
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/e2e/examples/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/examples/globalSetup.ts'],
    // One file per example; a Next build and a Vite build side by side suit two cores.
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    retry: 0,
  },
});
