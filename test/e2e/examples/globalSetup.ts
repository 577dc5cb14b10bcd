import type { TestProject } from 'vitest/node';
import { provideChromium } from './support';

/** Once per run: find the browser (each test file builds and serves its own example). */
export default function setup(project: TestProject): void {
  provideChromium((key, value) => project.provide(key, value));
}
