import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp } from './buildApp';
import { findChromium } from './chromium';
import { startStaticServer } from './staticServer';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the static server that serves the built e2e app. */
    appOrigin: string;
    /** The Chromium binary, or '' when none was found (then `chromiumProblem` says why). */
    chromiumPath: string;
    chromiumProblem: string;
  }
}

/** Once per run: find the browser, build the app with Vite, serve it on an ephemeral port. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const chromium = findChromium();
  if (!chromium.ok) {
    // Loud here, and every test fails with the same message (see launchChromium).
    console.error(`\n${chromium.message}\n`);
  }
  const outDir = await mkdtemp(join(tmpdir(), 'coze-e2e-app-'));
  const started = Date.now();
  await buildApp(outDir);
  const server = await startStaticServer(outDir);
  console.log(`e2e app built in ${Date.now() - started} ms, served at ${server.origin}`);
  project.provide('appOrigin', server.origin);
  project.provide('chromiumPath', chromium.ok ? chromium.path : '');
  project.provide('chromiumProblem', chromium.ok ? '' : chromium.message);
  return async () => {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  };
}
