/**
 * Harness for the example apps (examples/*): each is built with its own toolchain, as a user
 * would (`next build`, `tsc && vite build`), against the packed library installed in its
 * node_modules (`npm run test:examples` runs scripts/install-examples.mjs first), then served
 * (`next start`, or a static server with SPA fallback) and driven by Chromium against the local
 * fake Coze.
 *
 * Example apps read their Coze settings at build time (NEXT_PUBLIC_*, VITE_*), so the ports are
 * chosen first: the fake Coze listens on the ports baked into the build, and its OAuth client
 * allows the app's origin as redirect URI and CORS origin.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect, type TestContext } from 'vitest';
import { startFakeCozeServer, type FakeCozeServer } from '../../../src/testing/node';
export { chromiumForThisFile, provideChromium } from '../support/chromium';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../../examples/', import.meta.url));
const ARTIFACTS_DIR = join(process.cwd(), 'test-results', 'examples');

/**
 * `count` distinct free TCP ports on 127.0.0.1: all bound at once (so they differ), then released
 * for the example's build to bake in and its servers to listen on.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve());
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

/** The environment for a child build or server: no test-runner variables (NODE_ENV=test would change both builds). */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', ...extra };
  delete env.NODE_ENV;
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'TEST') delete env[name];
  return env;
}

/** The example's own binary (its node_modules), failing clearly when the example is not installed. */
export function exampleBin(example: string, script: string): string {
  const path = join(EXAMPLES_DIR, example, 'node_modules', script);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: install the examples first (node scripts/install-examples.mjs, part of npm run test:examples).`);
  }
  return path;
}

/** Runs a command to completion; rejects with its output when it fails. Returns the wall time, ms. */
export async function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const started = Date.now();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${code}) in ${options.cwd}:\n${output}`);
  return Date.now() - started;
}

export interface RunningProcess {
  /** Everything it printed so far. */
  output(): string;
  close(): Promise<void>;
}

/**
 * Starts a long-running server in its own process group and waits until `readyUrl` answers.
 * Fails with its output if it exits or does not answer within `timeoutMs`.
 */
export async function startProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; readyUrl: string; timeoutMs?: number },
): Promise<RunningProcess> {
  const child: ChildProcess = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let exited: number | null | undefined;
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const close = async () => {
    if (exited !== undefined || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    await closed;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`${command} ${args.join(' ')} exited (${exited}) before it was ready:\n${output}`);
    const ok = await fetch(options.readyUrl).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`${options.readyUrl} did not answer within ${options.timeoutMs ?? 30_000} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { output: () => output, close };
}

// ── browser ──

/** What a page reported: console messages (every type), uncaught errors and page loads. */
export interface PageLog {
  console: { type: string; text: string; url: string }[];
  pageErrors: string[];
  documentLoads: string[];
}

/** Console messages and page errors that make a run unclean: errors, warnings, uncaught exceptions. */
export function problems(log: PageLog): string[] {
  return [
    ...log.pageErrors.map((error) => `pageerror: ${error}${decodeReactError(error)}`),
    ...log.console.filter((message) => message.type === 'error' || message.type === 'warning').map((message) => `console.${message.type}: ${message.text} (${message.url})`),
  ];
}

// Production builds of React only print error codes; these are the ones a hydration problem shows.
const REACT_ERRORS: Record<string, string> = {
  '418': 'hydration failed: the server-rendered HTML did not match what the client rendered',
  '419': 'the server could not finish this Suspense boundary; it switched to client rendering',
  '423': 'an error during hydration; the root switched to client rendering',
  '425': 'text content did not match the server-rendered HTML',
};

function decodeReactError(message: string): string {
  const code = /Minified React error #(\d+)/.exec(message)?.[1];
  return code && REACT_ERRORS[code] ? ` [React #${code}: ${REACT_ERRORS[code]}]` : '';
}

/**
 * React's hydration diagnostics: the development warnings and the production error codes
 * (418: hydration mismatch, 419/423/425: the root or a boundary switched to client rendering).
 */
export function hydrationProblems(log: PageLog): string[] {
  return problems(log).filter((line) => /hydrat|did ?n[o']t match|react-dom.*#41[89]|errors\/41[89]|errors\/42[35]|error #4(18|19|23|25)/i.test(line));
}

export interface ExampleBrowser {
  context: BrowserContext;
  page: Page;
  log: PageLog;
  /** Forgets everything logged so far (e.g. before a reload whose console must be clean). */
  clearLog(): void;
  /** Waits until no page load happened and no request went to the fake Coze for `quietMs`. */
  settle(quietMs?: number): Promise<void>;
}

/**
 * A fresh context and tab, watched. On failure it leaves a screenshot and the log under
 * test-results/examples/<test>/, plus whatever `extra()` returns (server output, request log).
 */
export async function openBrowser(ctx: TestContext, browser: Browser, server: FakeCozeServer, extra: () => Record<string, unknown> = () => ({})): Promise<ExampleBrowser> {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  // Chromium asks every origin for /favicon.ico; the fake Coze answers 404, which Chromium logs
  // as a console error on the consent page. Answer it here so the console assertions stay strict.
  await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  const page = await context.newPage();
  const log: PageLog = { console: [], pageErrors: [], documentLoads: [] };
  page.on('console', (message) => log.console.push({ type: message.type(), text: message.text(), url: page.url() }));
  page.on('pageerror', (error) => log.pageErrors.push(`${error.name}: ${error.message}`));
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) log.documentLoads.push(request.url());
  });
  const result: ExampleBrowser = {
    context,
    page,
    log,
    clearLog() {
      log.console.length = 0;
      log.pageErrors.length = 0;
      log.documentLoads.length = 0;
    },
    async settle(quietMs = 500) {
      const activity = () => `${log.documentLoads.length}/${server.model.requestLog.length}`;
      const deadline = Date.now() + 15_000;
      let last = activity();
      let quietSince = Date.now();
      while (Date.now() - quietSince < quietMs) {
        if (Date.now() > deadline) throw new Error(`the page never settled: ${last}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (activity() !== last) {
          last = activity();
          quietSince = Date.now();
        }
      }
    },
  };
  const close = () => context.close().catch(() => undefined);
  // Like the e2e harness: a passing test closes at onTestFinished; a failing one saves what the
  // tab saw first (onTestFailed runs after onTestFinished), then closes.
  ctx.onTestFinished(async ({ task }) => {
    if (task.result?.state !== 'fail') await close();
  });
  ctx.onTestFailed(async () => {
    try {
      const file = ctx.task.file.name.split('/').pop()?.replace(/\.e2e\.test\.ts$/, '') ?? 'examples';
      const dir = join(ARTIFACTS_DIR, `${file}--${ctx.task.name}`.replace(/[^a-zA-Z0-9._-]+/g, '-').slice(0, 120));
      await mkdir(dir, { recursive: true });
      if (!page.isClosed()) await page.screenshot({ path: join(dir, 'tab.png'), fullPage: true, timeout: 5_000 }).catch(() => undefined);
      const observed = { url: page.isClosed() ? '(closed)' : page.url(), ...log, requestLog: server.model.requestLog, ...extra() };
      await writeFile(join(dir, 'observed.json'), JSON.stringify(observed, null, 2));
      console.error(`example e2e failure artifacts: ${dir}`);
    } finally {
      await close();
    }
  });
  return result;
}

/** The consent page's Authorize button for an app registered as `appName`. */
export async function authorize(page: Page, server: FakeCozeServer, appName: string): Promise<void> {
  await page.waitForURL((url) => url.origin === server.webOrigin);
  await page.getByRole('button', { name: `Authorize ${appName}` }).click();
}

/** The fake Coze for one example app, on the ports its build was given. */
export async function startCozeFor(options: { apiPort: number; webPort: number; appOrigin: string; clientId: string; name: string }): Promise<FakeCozeServer> {
  return startFakeCozeServer({
    apiPort: options.apiPort,
    webPort: options.webPort,
    clients: [{ clientId: options.clientId, name: options.name, redirectUris: [`${options.appOrigin}/callback`] }],
  });
}

/** No page errors, no console errors or warnings: the message list says what went wrong. */
export function expectClean(log: PageLog, when: string): void {
  expect(problems(log), `console errors/warnings or page errors ${when}`).toEqual([]);
}
