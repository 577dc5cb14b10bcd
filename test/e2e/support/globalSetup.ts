import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp } from './buildApp';
import { provideChromium } from './chromium';
import { startStaticServer } from './staticServer';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the static server that serves the built e2e app. */
    appOrigin: string;
  }
}

/** Once per run: find the browser, build the app with Vite, serve it on an ephemeral port. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  provideChromium((key, value) => project.provide(key, value));
  const outDir = await mkdtemp(join(tmpdir(), 'coze-e2e-app-'));
  const started = Date.now();
  await buildApp(outDir);
  const server = await startStaticServer(outDir);
  console.log(`e2e app built in ${Date.now() - started} ms, served at ${server.origin}`);
  project.provide('appOrigin', server.origin);
  return async () => {
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  };
}
