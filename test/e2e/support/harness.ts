/**
 * The e2e harness: one Chromium per test file, and per test a fresh fake Coze server (api and web
 * on their own ports), a fresh browser context (own storage, own clock) and watchers on every page
 * (navigations, console, uncaught errors). On failure it leaves screenshots, the fake server's
 * request log and the page's own observations under test-results/e2e/<test>/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect, inject, type TestContext } from 'vitest';
import { startFakeCozeServer, type FakeCozeServer, type FakeCozeServerOptions } from '../../../src/testing/node';
import { DEFAULT_COZE_BOT, type CozeModel } from '../../../src/testing/node';
import { describeCozeAuthError } from '../../../src/react/i18n/describeCozeAuthError';
import type { CozeAuthErrorCode } from '../../../src/core/errors';
import type { ProbeState } from '../app/probe';

export type { ProbeState };
export { chromiumForThisFile } from './chromium';

export const CLIENT_ID = 'e2e-app';
export const APP_NAME = 'E2E App';
const ARTIFACTS_DIR = join(process.cwd(), 'test-results', 'e2e');

/** What the app reads from the URL at startup (see app/config.ts). */
export interface AppFlags {
  storage?: 'sessionStorage' | 'localStorage' | 'memory' | 'worker';
  strict?: boolean;
  skew?: number;
  poll?: number;
}

/** Everything a page did that a test may assert on or a failure report should show. */
export interface PageLog {
  /** Every main-frame URL change, including history.replaceState. */
  navigations: string[];
  /** Main-frame document requests: real page loads (what a redirect loop is made of). */
  documentLoads: string[];
  console: { type: string; text: string }[];
  pageErrors: string[];
  /** Failed token endpoint responses with Coze's error body (error codes and messages only, no tokens). */
  tokenErrors: { at: number; status: number; body: string }[];
}

// ── server time that can jump along with the page clock ──

/**
 * The fake server's clock: real time plus an offset. Tests that move the page clock
 * (`page.clock.fastForward`, `runFor`, `setSystemTime`) move this by the same amount, so that
 * Coze and the browser agree on when a token expires, as they would after a real sleep.
 */
export class ServerTime {
  offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

// ── per-test environment ──

export interface E2EOptions extends Omit<FakeCozeServerOptions, 'clients' | 'now'> {
  /** Install Playwright's fake clock in the context before any page loads. */
  clock?: boolean;
}

export interface E2E {
  readonly server: FakeCozeServer;
  readonly model: CozeModel;
  readonly appOrigin: string;
  readonly context: BrowserContext;
  /** The first tab. */
  readonly page: Page;
  readonly time: ServerTime;
  log(page?: Page): PageLog;
  newPage(): Promise<Page>;
  /** Opens `path` of the app with these flags in the query. */
  open(page: Page, path?: string, flags?: AppFlags, extraQuery?: Record<string, string>): Promise<void>;
  /** Login button → consent page → Authorize → back in the app, signed in. */
  signIn(page?: Page): Promise<void>;
  /**
   * Waits until nothing happens for `quietMs`: no page load or URL change in any tab and no
   * request to the fake Coze. "No redirect loop" can only be shown by watching for a while;
   * this watches for quiet instead of sleeping a fixed time, and fails if quiet never comes.
   */
  settle(quietMs?: number): Promise<void>;
  /** The page clock and the server clock jump together; due timers fire once (a laptop lid). */
  sleepAndWake(ms: number): Promise<void>;
  /** Time passes normally on both clocks, firing every timer on the way. */
  runFor(ms: number): Promise<void>;
}

/** Text of a `data-testid` element (waits for it to exist). */
export async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent({ timeout: 10_000 })) ?? '';
}

export async function num(page: Page, testId: string): Promise<number> {
  return Number(await text(page, testId));
}

/** Waits until a `data-testid` element shows exactly `expected`. */
export async function waitForText(page: Page, testId: string, expected: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    ([id, value]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === value,
    [testId, expected] as const,
    { timeout, polling: 20 },
  );
}

/** Waits until the app's status shows `status` (and it is not on /callback any more, for signed-in). */
export async function waitForStatus(page: Page, status: 'signed-in' | 'signed-out' | 'signing-in', timeout = 15_000): Promise<void> {
  await waitForText(page, 'status', status, timeout);
}

/**
 * `clock.pauseAt(t)` must not lie in the page's past, and the page clock keeps flowing between
 * reading it and pausing: pause this far ahead (no timer of these tests is due that soon).
 */
export const PAUSE_MARGIN_MS = 1_000;

/** The page's clock (Playwright's fake one when installed), ms. */
export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => Date.now());
}

/** What the app recorded (events, API call results, status history). */
export function probe(page: Page): Promise<ProbeState> {
  return page.evaluate(() => {
    const e2e = window.__e2e;
    if (!e2e) throw new Error('the e2e app did not start');
    return e2e.probe();
  });
}

/** How many Coze queries the app's TanStack Query cache holds. */
export function cozeQueries(page: Page): Promise<number> {
  return page.evaluate(() => window.__e2e?.cozeQueries() ?? -1);
}

/**
 * Checks that an error alert is there and shows the session's error: its code (the app mirrors
 * it and `error.message` in `error-code` and `error-message`), what happened in the browser's
 * language rather than the developer's message, and a button to start again.
 * UI copy is the library's to change; these are what the user must get.
 */
export async function expectErrorAlert(page: Page, code: CozeAuthErrorCode): Promise<Locator> {
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.getAttribute('data-error-code')).toBe(code);
  expect(await text(page, 'error-code')).toBe(code);
  const message = await text(page, 'error-message');
  expect(message.length).toBeGreaterThan(10);
  // Whichever language the browser asks for, the alert says which one it speaks, and speaks it.
  const lang = (await alert.getAttribute('lang')) ?? '';
  expect(['en', 'zh-CN']).toContain(lang);
  expect(await alert.textContent()).toContain(describeCozeAuthError({ code }, lang).description);
  expect(await alert.getByRole('button').isEnabled()).toBe(true);
  return alert;
}

/** Chromium's own line for a response with an error status or a dropped connection. */
export function isFailedResourceLog(message: { type: string; text: string }): boolean {
  return message.type === 'error' && message.text.startsWith('Failed to load resource:');
}

function consentButton(page: Page, name: 'Authorize' | 'Cancel') {
  return page.getByRole('button', { name: name === 'Authorize' ? `Authorize ${APP_NAME}` : `Cancel and return to ${APP_NAME}` });
}

export function authorizeButton(page: Page) {
  return consentButton(page, 'Authorize');
}

export function cancelButton(page: Page) {
  return consentButton(page, 'Cancel');
}

function watch(page: Page, logs: Map<Page, PageLog>): void {
  const log: PageLog = { navigations: [], documentLoads: [], console: [], pageErrors: [], tokenErrors: [] };
  logs.set(page, log);
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) log.navigations.push(frame.url());
  });
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) log.documentLoads.push(request.url());
  });
  page.on('console', (message) => log.console.push({ type: message.type(), text: message.text() }));
  page.on('pageerror', (error) => log.pageErrors.push(`${error.name}: ${error.message}\n${error.stack ?? ''}`));
  page.on('response', (response) => {
    if (response.status() < 400 || !response.url().endsWith('/api/permission/oauth2/token')) return;
    const entry = { at: Date.now(), status: response.status(), body: '' };
    log.tokenErrors.push(entry);
    response.text().then(
      (body) => (entry.body = body),
      () => undefined,
    );
  });
}

function artifactDir(ctx: TestContext): string {
  const file = ctx.task.file.name.split('/').pop()?.replace(/\.e2e\.test\.ts$/, '') ?? 'e2e';
  const name = `${file}--${ctx.task.name}`.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/-+/g, '-').slice(0, 120);
  return join(ARTIFACTS_DIR, name);
}

async function saveArtifacts(ctx: TestContext, e2e: E2E, logs: Map<Page, PageLog>): Promise<void> {
  const dir = artifactDir(ctx);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'request-log.json'), JSON.stringify(e2e.model.requestLog, null, 2));
  await writeFile(join(dir, 'counters.json'), JSON.stringify(e2e.model.counters, null, 2));
  let index = 0;
  for (const [page, log] of logs) {
    index += 1;
    const observed: Record<string, unknown> = { url: page.isClosed() ? '(closed)' : page.url(), ...log };
    if (!page.isClosed()) {
      await page.screenshot({ path: join(dir, `tab-${index}.png`), fullPage: true, timeout: 5_000 }).catch((error: unknown) => {
        observed.screenshotError = String(error);
      });
      observed.probe = await probe(page).catch((error: unknown) => `unavailable: ${String(error)}`);
    }
    await writeFile(join(dir, `tab-${index}.json`), JSON.stringify(observed, null, 2));
  }
  console.error(`e2e failure artifacts: ${dir}`);
}

/** How {@link signInOnPage} opens the app. */
export interface SignedInOpening {
  /** The page to open first. Default `/`. */
  path?: string;
  /** The app's flags (storage, StrictMode, skew, polling). */
  flags?: AppFlags;
  /** Then stop the page's timers (`clock.pauseAt`, with {@link PAUSE_MARGIN_MS}): time moves only when the test says so. */
  pauseClock?: boolean;
}

/** The opening most tests share: open the app, sign in through Coze's consent page, wait for the profile. */
export async function signInOnPage(t: E2E, { path = '/', flags = {}, pauseClock = false }: SignedInOpening = {}): Promise<void> {
  await t.open(t.page, path, flags);
  await t.signIn();
  await waitForText(t.page, 'user-name', 'Coze Tester');
  if (pauseClock) await t.page.clock.pauseAt((await pageNow(t.page)) + PAUSE_MARGIN_MS);
}

/** {@link startE2E}, then {@link signInOnPage}. */
export async function startSignedIn(ctx: TestContext, browser: Browser, options: E2EOptions = {}, opening: SignedInOpening = {}): Promise<E2E> {
  const t = await startE2E(ctx, browser, options);
  await signInOnPage(t, opening);
  return t;
}

/**
 * Starts the environment of one test. Cleanup is tied to the test: on success it closes at
 * `onTestFinished`; on failure `onTestFailed` (which Vitest runs after that) first saves the
 * artifacts while the pages are still open, then closes.
 */
export async function startE2E(ctx: TestContext, browser: Browser, options: E2EOptions = {}): Promise<E2E> {
  const appOrigin = inject('appOrigin');
  const { clock, ...serverOptions } = options;
  const time = new ServerTime();
  const server = await startFakeCozeServer({
    ...serverOptions,
    now: time.now,
    clients: [{ clientId: CLIENT_ID, name: APP_NAME, redirectUris: [`${appOrigin}/callback`] }],
  });
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  const logs = new Map<Page, PageLog>();
  context.on('page', (page) => watch(page, logs));
  // Chromium asks every origin for /favicon.ico; the fake Coze answers 404, which Chromium logs as
  // a console error on the consent page. Answer it here so console assertions stay strict.
  await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  await context.addInitScript(
    (env) => {
      (window as unknown as { __COZE_E2E_ENV__: unknown }).__COZE_E2E_ENV__ = env;
    },
    { apiOrigin: server.apiOrigin, webOrigin: server.webOrigin, clientId: CLIENT_ID, botId: DEFAULT_COZE_BOT.bot_id },
  );
  if (clock) await context.clock.install({ time: Date.now() });
  const page = await context.newPage();

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => undefined);
    await server.close();
  };

  const e2e: E2E = {
    server,
    model: server.model,
    appOrigin,
    context,
    page,
    time,
    log(target = page) {
      const log = logs.get(target);
      if (!log) throw new Error('page is not watched');
      return log;
    },
    newPage: () => context.newPage(),
    async open(target, path = '/', flags = {}, extraQuery = {}) {
      const url = new URL(path, appOrigin);
      if (flags.storage) url.searchParams.set('storage', flags.storage);
      if (flags.strict) url.searchParams.set('strict', '1');
      if (flags.skew !== undefined) url.searchParams.set('skew', String(flags.skew));
      if (flags.poll) url.searchParams.set('poll', String(flags.poll));
      for (const [name, value] of Object.entries(extraQuery)) url.searchParams.set(name, value);
      await target.goto(url.href);
      await target.getByTestId('status').waitFor();
    },
    async signIn(target = page) {
      await target.getByTestId('login').click();
      await target.waitForURL((url) => url.origin === server.webOrigin);
      await authorizeButton(target).click();
      await waitForStatus(target, 'signed-in');
      await target.waitForFunction(() => !window.location.pathname.startsWith('/callback'), undefined, { polling: 20 });
    },
    async settle(quietMs = 750) {
      const activity = () =>
        JSON.stringify([[...logs.values()].map((log) => [log.documentLoads.length, log.navigations.length]), server.model.requestLog.length]);
      const deadline = Date.now() + 15_000;
      let last = activity();
      let quietSince = Date.now();
      while (Date.now() - quietSince < quietMs) {
        if (Date.now() > deadline) throw new Error(`the app never settled (still active after 15 s): ${last}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const now = activity();
        if (now !== last) {
          last = now;
          quietSince = Date.now();
        }
      }
    },
    async sleepAndWake(ms) {
      time.advance(ms);
      await context.clock.fastForward(ms);
    },
    async runFor(ms) {
      time.advance(ms);
      await context.clock.runFor(ms);
    },
  };

  ctx.onTestFinished(async ({ task }) => {
    if (task.result?.state !== 'fail') await close();
  });
  ctx.onTestFailed(async () => {
    try {
      await saveArtifacts(ctx, e2e, logs);
    } finally {
      await close();
    }
  });
  return e2e;
}

/** No uncaught page errors, and no console errors apart from those `allow` accepts (with a reason at the call site). */
export function expectNoConsoleErrors(log: PageLog, allow: (message: { type: string; text: string }) => boolean = () => false): void {
  expect(log.pageErrors).toEqual([]);
  expect(log.console.filter((message) => message.type === 'error' && !allow(message))).toEqual([]);
}

// ── time in steps, and waiting on the app's own work ──

/** Polls `check` from Node (not from the page, whose timers may be fake) until it holds. */
export async function pollUntil(what: string, check: () => Promise<boolean>, timeout = 10_000, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until every API call the app started (poller, buttons) in these pages has settled. */
export async function settleApiCalls(pages: readonly Page[], timeout = 10_000): Promise<void> {
  // One round trip per page: Playwright polls inside the page on real timers, even when the
  // page's own clock is Playwright's fake one.
  await Promise.all(
    pages.map((page) =>
      page
        .waitForFunction(
          () => {
            const p = window.__e2e?.probe();
            return p !== undefined && p.apiStarted === p.apiOk + p.api401 + p.apiFail;
          },
          undefined,
          { timeout, polling: 5 },
        )
        .catch((error: unknown) => {
          throw new Error(`the app's API calls did not settle within ${timeout} ms: ${String(error)}`);
        }),
    ),
  );
}

/**
 * `t.runFor(ms)`, then sets the fake server's clock to `page`'s. Playwright's clock stops flowing
 * with real time while it runs timers, so every `runFor` leaves the page behind the server by as
 * long as the page took to run them: on a busy machine, seconds over a few hundred steps, enough for
 * Coze to expire a token the page still thinks fresh. (Both clocks keep flowing in real time.)
 */
export async function runForInStep(t: E2E, ms: number, page: Page = t.page): Promise<void> {
  await t.runFor(ms);
  const pageTime = await page.evaluate(() => Date.now());
  t.time.offsetMs = pageTime - Date.now();
}

/**
 * Lets `totalMs` pass on both clocks (page and fake server, see {@link runForInStep}) in steps of
 * `stepMs`, firing the pages' timers on the way, and runs `afterStep` after each step (e.g.
 * {@link settleApiCalls}), so a page polling every `stepMs` makes one call per step and each call
 * lands before time moves on. Needs `startE2E(…, { clock: true })`.
 */
export async function runInSteps(t: E2E, totalMs: number, stepMs: number, afterStep: () => Promise<void> = async () => undefined): Promise<void> {
  for (let elapsed = 0; elapsed < totalMs; elapsed += stepMs) {
    await runForInStep(t, Math.min(stepMs, totalMs - elapsed));
    await afterStep();
  }
}

/** The keys of this page's localStorage or sessionStorage that start with `prefix`. */
export function storageKeys(page: Page, area: 'localStorage' | 'sessionStorage', prefix: string): Promise<string[]> {
  return page.evaluate(([name, start]) => Object.keys(window[name]).filter((key) => key.startsWith(start)), [area, prefix] as const);
}
