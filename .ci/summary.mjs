// Sums every Vitest JSON report under test-results/ into the one line CI reads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const exitStatus = Number(process.argv[2] ?? 1);
let passed = 0;
let failed = 0;
let files = [];
try {
  files = readdirSync('test-results').filter((name) => name.endsWith('.json'));
} catch {
  // no reports: the run failed before any test ran
}
for (const name of files) {
  const report = JSON.parse(readFileSync(join('test-results', name), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
}
// A failing lint, type check or build step counts as a failure even if every test passed.
if (exitStatus !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitStatus === 0 && failed === 0 ? 0 : 1);
