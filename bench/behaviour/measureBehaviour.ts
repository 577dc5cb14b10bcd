import { chromium, type Browser, type Page } from 'playwright-core';
import { startFakeCozeServer } from '../../src/testing/node';
import { LIBRARIES, ROOT, type Library, type LibraryId } from '../lib/libraries';
import { BENCH_CLIENT_ID as CLIENT_ID, benchConfigFor, startAppServer, type BenchOrigins } from './appServer';
import type { TokenRequestsResult } from './apps/harness';
import { buildBehaviourApps } from './buildApps';
import { RequestLog, sleep, type LoggedRequest } from './requestLog';
import { startStandardOAuthServer } from './standardOAuthServer';

/** Simulated network round trip, added by every bench server before it answers. */
export const LATENCY_MS = 40;
/** Concurrent token requests after expiry. */
export const CALLERS = 50;
// Long enough that nothing refreshes during sign-in; the refresh scenario jumps past it.
const ACCESS_TOKEN_TTL_SECONDS = 300;
// Late requests (a StrictMode double exchange, a renew timer) still land in the count.
const SETTLE_MS = 2_000;
const TOKEN_TIMEOUT_MS = 20_000;
/** Sign-ins per library; the reported time is their median. */
const SIGN_IN_RUNS = 3;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

// Libraries that cannot be pointed at a local server, and why.
const NOT_MEASURABLE: Partial<Record<LibraryId, string>> = {
  'azure-msal-react':
    'MSAL accepts only https authorities (ClientConfigurationError authorityUriInsecure) and expects Microsoft identity platform responses; no local equivalent server',
};

export interface SignInFigures {
  /** authorization_code grant requests for one sign-in. */
  exchanges: number;
  failedExchanges: number;
  /** Requests from the callback page (after its HTML) until the app held a token. */
  roundTrips: number;
  roundTripKinds: string[];
  /** Callback page served → token in the app, ms, with LATENCY_MS per request (median of the runs). */
  ms: number;
}

export interface RefreshFigures {
  tokenApi: string;
  /** False when the API resolves without a token (react-oauth2-code-pkce's refreshAccessToken). */
  returnsToken: boolean;
  refreshes: number;
  failedRefreshes: number;
  /** Undefined when the page navigated away before the callers got an answer. */
  result: TokenRequestsResult | undefined;
  /** Profiler commits of the API-client consumer from the expiry until things settled. */
  renders: number;
  /** The library sent the user back to the authorize endpoint (it gave up on the session). */
  reauthorized: boolean;
}

export interface BehaviourResult {
  library: Library;
  notMeasurable?: string;
  signIn?: SignInFigures | { error: string };
  refresh?: RefreshFigures | { error: string };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

interface Servers {
  log: RequestLog;
  /** Every request so far: the bench's own servers plus the fake Coze's log. */
  requests(): LoggedRequest[];
  clearRequests(): void;
  /** Moves both server clocks (the browser's is moved by page.clock). */
  advanceClock(ms: number): void;
  clockOffsetMs(): number;
  homeUrl(id: string): string;
  close(): Promise<void>;
}

async function startServers(entries: Record<string, string>, outDir: string): Promise<Servers> {
  const log = new RequestLog();
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const origins: BenchOrigins = { idp: '', cozeApi: '', cozeWeb: '' };
  const config = benchConfigFor(origins);
  const app = await startAppServer({ outDir, entries, config, latencyMs: LATENCY_MS, log });
  const idp = await startStandardOAuthServer({
    clientId: CLIENT_ID,
    appOrigin: app.origin,
    accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
    latencyMs: LATENCY_MS,
    now,
    log,
  });
  const coze = await startFakeCozeServer({
    clients: [{ clientId: CLIENT_ID, redirectUris: [`${app.origin}/coze/callback`] }],
    autoApprove: true,
    accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
    latencyMs: LATENCY_MS,
    now,
  });
  origins.idp = idp.origin;
  origins.cozeApi = coze.apiOrigin;
  origins.cozeWeb = coze.webOrigin;
  return {
    log,
    requests: () => {
      const fromCoze = coze.model.requestLog.map((entry) => ({
        t: entry.time - offsetMs,
        server: `coze-${entry.origin}`,
        kind: entry.kind,
        method: entry.method,
        path: entry.path,
        status: entry.status,
      }));
      return [...log.entries, ...fromCoze].sort((a, b) => a.t - b.t);
    },
    clearRequests: () => {
      log.clear();
      coze.model.resetCounters();
    },
    advanceClock: (ms) => {
      offsetMs += ms;
    },
    clockOffsetMs: () => offsetMs,
    homeUrl: (id) => `${app.origin}/${id}/`,
    close: async () => {
      await Promise.all([app.close(), idp.close(), coze.close()]);
    },
  };
}

interface BenchPage {
  page: Page;
  events: { name: string; t: number }[];
  fail(what: string): { error: string };
  close(): Promise<void>;
}

/** A fresh browser context (empty storage and HTTP cache) with the bench hooks installed. */
async function openPage(browser: Browser): Promise<BenchPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  const events: { name: string; t: number }[] = [];
  await page.exposeFunction('benchEvent', (name: string) => {
    events.push({ name, t: Date.now() });
  });
  // Fake timers that run in real time; only the refresh scenario moves the clock.
  await page.clock.install();
  return {
    page,
    events,
    fail: (what) => ({ error: `${what}${problems[0] ? `: ${problems[0].slice(0, 160)}` : ''}` }),
    close: () => context.close(),
  };
}

/** One sign-in under StrictMode: home page → login → authorize → callback page → token. */
async function signInOnce(bench: BenchPage, servers: Servers, library: Library): Promise<SignInFigures | { error: string }> {
  const { page, events } = bench;
  await page.goto(servers.homeUrl(library.id));
  await page.waitForFunction(() => window.bench !== undefined, undefined, { timeout: 10_000 });
  servers.clearRequests();
  events.length = 0;
  await page.evaluate(() => window.bench?.login());
  if (!(await waitFor(() => events.some((event) => event.name === 'token'), TOKEN_TIMEOUT_MS))) {
    return bench.fail('no token after sign-in');
  }
  const tokenAt = events.find((event) => event.name === 'token')?.t ?? 0;
  await sleep(SETTLE_MS);
  const requests = servers.requests();
  const callbackDoc = requests.find((r) => r.kind === 'document' && r.path.endsWith('/callback'));
  const exchanges = requests.filter((r) => r.kind === 'token-exchange');
  const afterCallback = callbackDoc
    ? requests.filter((r) => r !== callbackDoc && r.t >= callbackDoc.t && r.t <= tokenAt && r.path !== '/favicon.ico')
    : [];
  return {
    exchanges: exchanges.length,
    failedExchanges: exchanges.filter((r) => r.status >= 400).length,
    roundTrips: afterCallback.length,
    roundTripKinds: afterCallback.map((r) => r.kind),
    ms: callbackDoc ? tokenAt - callbackDoc.t : Number.NaN,
  };
}

/** After sign-in: both clocks jump past expiry, then CALLERS ask for a token at once. */
async function refreshAfterExpiry(bench: BenchPage, servers: Servers): Promise<RefreshFigures> {
  const { page, events } = bench;
  await page.waitForFunction(() => window.bench !== undefined, undefined, { timeout: 10_000 });
  const tokenApi = await page.evaluate(() => window.bench?.tokenApi ?? '?');
  const returnsToken = await page.evaluate(() => window.bench?.returnsToken ?? true);
  servers.clearRequests();
  events.length = 0;
  // As after a laptop sleep: both clocks jump past expiry without any timer firing.
  servers.advanceClock((ACCESS_TOKEN_TTL_SECONDS + 120) * 1000);
  await page.clock.setSystemTime(Date.now() + servers.clockOffsetMs());
  let result: TokenRequestsResult | undefined;
  try {
    result = await page.evaluate((n) => window.bench!.requestTokens(n), CALLERS);
  } catch {
    result = undefined; // the page navigated away while the callers waited
  }
  await sleep(SETTLE_MS);
  const requests = servers.requests();
  const refreshes = requests.filter((r) => r.kind === 'token-refresh');
  // A library that gives up on the session reloads the page (sign-in again); renders stop counting there.
  const reload = requests.find((r) => r.kind === 'document');
  return {
    tokenApi,
    returnsToken,
    refreshes: refreshes.length,
    failedRefreshes: refreshes.filter((r) => r.status >= 400).length,
    result,
    renders: events.filter((event) => event.name === 'render' && (!reload || event.t < reload.t)).length,
    reauthorized: requests.some((r) => r.kind === 'authorize'),
  };
}

/**
 * SIGN_IN_RUNS sign-ins, each in a fresh context: the counts must hold every time (the worst is
 * kept), the time is the median. The refresh scenario runs in the last context.
 */
async function measureLibrary(browser: Browser, servers: Servers, library: Library): Promise<BehaviourResult> {
  const runs: SignInFigures[] = [];
  for (let run = 1; run <= SIGN_IN_RUNS; run += 1) {
    servers.advanceClock(-servers.clockOffsetMs()); // every run starts on the real time
    const bench = await openPage(browser);
    try {
      const signIn = await signInOnce(bench, servers, library);
      if ('error' in signIn) return { library, signIn };
      runs.push(signIn);
      if (run === SIGN_IN_RUNS) {
        const worst = runs.reduce((a, b) => (b.exchanges > a.exchanges || b.roundTrips > a.roundTrips ? b : a));
        const ms = runs.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? Number.NaN;
        return { library, signIn: { ...worst, ms }, refresh: await refreshAfterExpiry(bench, servers) };
      }
    } catch (error) {
      return { library, signIn: bench.fail(error instanceof Error ? (error.message.split('\n')[0] ?? 'failed') : String(error)) };
    } finally {
      await bench.close();
    }
  }
  return { library, signIn: { error: 'no run' } };
}

/** Runs every measurable library's app in Chromium against the local servers. */
export async function measureBehaviour(log: (line: string) => void = () => undefined): Promise<BehaviourResult[]> {
  const measured = LIBRARIES.filter((library) => !NOT_MEASURABLE[library.id]);
  const outDir = `${ROOT}node_modules/.cache/bench-apps`;
  log('behaviour: building the bench apps (development mode)');
  const entries = await buildBehaviourApps(
    measured.map((library) => library.id),
    outDir,
  );
  const servers = await startServers(entries, outDir);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const results: BehaviourResult[] = [];
    for (const library of LIBRARIES) {
      const reason = NOT_MEASURABLE[library.id];
      if (reason) {
        results.push({ library, notMeasurable: reason });
        continue;
      }
      log(`behaviour: ${library.name}`);
      results.push(await measureLibrary(browser, servers, library));
    }
    return results;
  } finally {
    await browser.close();
    await servers.close();
  }
}
