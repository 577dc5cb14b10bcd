import { basename } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * About how long each file takes, two files at a time on a 2-core machine (seconds). Only the
 * order comes from this: longest first, short files last to fill in, so the two workers finish
 * together. Without it a fresh machine (CI has no Vitest results cache) runs the biggest files
 * first, and the smallest file, silentRefresh, is 35 s of real-time waiting that then ran last,
 * next to a worker with nothing left to do. A file missing here runs first.
 */
const EXPECTED_SECONDS: Record<string, number> = {
  'lifecycle.e2e.test.ts': 95,
  'signIn.e2e.test.ts': 75,
  'workerMode.e2e.test.ts': 45,
  'tabs.e2e.test.ts': 43,
  'refresh.e2e.test.ts': 42,
  'chat.e2e.test.ts': 36,
  'silentRefresh.e2e.test.ts': 35,
  'hostile3.engineWindow.e2e.test.ts': 8,
  'vault.e2e.test.ts': 8,
  'hostile7.vaultRedirect.e2e.test.ts': 3,
};

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const expected = (file: TestSpecification) => EXPECTED_SECONDS[basename(file.moduleId)] ?? Number.MAX_SAFE_INTEGER;
    return (await super.sort(files)).sort((a, b) => expected(b) - expected(a));
  }
}

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
    // Each file drives its own Chromium; two at a time suit a 2-core CI machine. (Three were no
    // faster there: the step-by-step lifecycle file, the longest, went from ~90 s to ~145 s.)
    maxWorkers: 2,
    fileParallelism: true,
    sequence: { sequencer: LongestFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A flaky browser test must fail, not be retried until green.
    retry: 0,
  },
});
