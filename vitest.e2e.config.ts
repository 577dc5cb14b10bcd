import { defineConfig } from 'vitest/config';

/**
 * Browser end-to-end tests: real Chromium (playwright-core) against the e2e SPA (built once by
 * the global setup) and a fresh fake Coze server per test. `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.e2e.test.ts'],
    // The example apps have their own run (vitest.examples.config.ts): they build first.
    exclude: ['test/e2e/examples/**', 'node_modules/**'],
    globalSetup: ['test/e2e/support/globalSetup.ts'],
    // Each file drives its own Chromium; two at a time suit a 2-core CI machine.
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A flaky browser test must fail, not be retried until green.
    retry: 0,
  },
});
