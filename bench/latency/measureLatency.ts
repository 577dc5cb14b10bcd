import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { startFakeCozeServer } from '../../src/testing/node';
import { BENCH_CLIENT_ID as CLIENT_ID, benchConfigFor, startAppServer, type BenchOrigins } from '../behaviour/appServer';
import { RequestLog } from '../behaviour/requestLog';
import { startStandardOAuthServer } from '../behaviour/standardOAuthServer';
import { LIBRARIES, ROOT, type Library, type LibraryId } from '../lib/libraries';
import { SIGNED_IN_ID, SIGN_IN_ID } from './apps/ids';
import { buildLatencyApps, type LatencyApp } from './buildApps';
import { startPreflightDelay } from './preflightDelay';

/**
 * The emulated network, set with CDP `Network.emulateNetworkConditions` on the tab. Chromium
 * defines `latency` as the minimum time from a request being sent to its response headers
 * arriving, applied to each HTTP request that leaves the HTTP cache, so `latency: 150` is a
 * 150 ms round trip per request. Two gaps, both filled or stated: Chromium does not apply it to
 * the CORS preflights it sends itself (they answer in 10–30 ms), so the servers hold those for one
 * RTT (startPreflightDelay, `preflightLatencyMs`); and connection setup (DNS, TCP, TLS) is not
 * emulated, every request costs one round trip, as on a warm keep-alive connection.
 * Throughputs are in bytes/s.
 */
export const NETWORK = {
  rttMs: 150,
  downloadMbps: 4,
  uploadMbps: 2,
} as const;
export const EMULATION = {
  offline: false,
  latency: NETWORK.rttMs,
  downloadThroughput: (NETWORK.downloadMbps * 1_000_000) / 8,
  uploadThroughput: (NETWORK.uploadMbps * 1_000_000) / 8,
};
// Values of 0 and -1 turn the emulation off (crbug.com/456324#c9).
const NO_EMULATION = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
/** Runs per library and variant; the table shows the median. */
export const LATENCY_RUNS = 5;
/** How long the pointer rests on the sign-in button before the click in the warm flow. */
export const HOVER_MS = 250;
/** One frame at 60 Hz: the floor of "click → navigation starts". */
export const FRAME_MS = 1000 / 60;
/** The yardstick app: a hand-written Coze sign-in in the same React app, no library. */
export const REFERENCE = { id: 'reference', name: 'hand-written Coze PKCE sign-in (no library)' } as const;
const TIMEOUT_MS = 20_000;

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

// Same reason as in the behaviour bench: MSAL cannot be pointed at a local server.
const NOT_MEASURABLE: Partial<Record<LibraryId, string>> = {
  'azure-msal-react': 'MSAL accepts only https Microsoft authorities',
};

/** One request of a run, from the page's CDP events (times in ms, relative to the callback navigation). */
export interface WaterfallEntry {
  url: string;
  type: string;
  method: string;
  startMs: number;
  endMs: number;
  fromCache: boolean;
  encodedBytes: number;
}

/** One sign-in: the click and the callback timings, in ms. */
export interface Run {
  clickMs: number;
  /**
   * Scripts still loading at the click or requested before the authorize navigation: when the
   * first of them was requested and when the last one arrived, ms relative to the click.
   */
  clickWaitedFor: { firstRequestedMs: number; lastArrivedMs: number } | undefined;
  callbackMs: number;
  /** Requests of the callback page, from its navigation until the signed-in marker. */
  waterfall: WaterfallEntry[];
}

export interface LatencyFigures {
  /** Load, wait for network idle, hover HOVER_MS, click: click → authorize navigation starts. */
  clickAfterHover: number[];
  /** Click as soon as the page has loaded: click → authorize navigation starts. */
  clickCold: number[];
  /** Callback navigation starts → signed-in marker in the DOM, app assets in the HTTP cache (they are after the warm flow). */
  callbackWarm: number[];
  /** The same with the HTTP cache disabled (a fresh device). */
  callbackCold: number[];
  /** Per run, the scripts a click waited for (see Run), after hover and right after load. */
  clickWaits: { afterHover: Run['clickWaitedFor'][]; cold: Run['clickWaitedFor'][] };
  /** The median runs' waterfalls, for the findings. */
  warmWaterfall: WaterfallEntry[];
  coldWaterfall: WaterfallEntry[];
  /** Bytes on the wire (encoded) of the callback page's document and its statically imported scripts, cold. */
  initialBytes: number;
}

export interface LatencyResult {
  library: Library;
  notMeasurable?: string;
  figures?: LatencyFigures;
  error?: string;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Transfer time of `bytes` at the emulated download throughput, ms. */
export const transferMs = (bytes: number): number => (bytes / EMULATION.downloadThroughput) * 1000;

interface Servers {
  homeUrl(id: string): string;
  appOrigin: string;
  /** Every origin the browser talks to in a sign-in. */
  origins: string[];
  close(): Promise<void>;
}

/** The bench's servers again, without their own added latency: Chromium's emulation is the network here. */
async function startServers(outDir: string, apps: Awaited<ReturnType<typeof buildLatencyApps>>): Promise<Servers> {
  const log = new RequestLog();
  const origins: BenchOrigins = { idp: '', cozeApi: '', cozeWeb: '' };
  const config = benchConfigFor(origins);
  const app = await startAppServer({
    outDir,
    entries: Object.fromEntries(Object.entries(apps).map(([id, built]) => [id, built.entry])),
    preloads: Object.fromEntries(Object.entries(apps).map(([id, built]) => [id, built.preloads])),
    gzip: true,
    config,
    latencyMs: 0,
    log,
  });
  const idp = await startStandardOAuthServer({
    clientId: CLIENT_ID,
    appOrigin: app.origin,
    accessTokenTtlSeconds: 3600,
    latencyMs: 0,
    preflightLatencyMs: NETWORK.rttMs,
    now: Date.now,
    log,
  });
  const coze = await startFakeCozeServer({
    clients: [{ clientId: CLIENT_ID, redirectUris: [`${app.origin}/coze/callback`, `${app.origin}/${REFERENCE.id}/callback`] }],
    autoApprove: true,
    accessTokenTtlSeconds: 3600,
  });
  // Chromium's emulation does not hold CORS preflights (see startPreflightDelay): the servers do.
  const cozeApi = await startPreflightDelay(coze.apiOrigin, NETWORK.rttMs);
  origins.idp = idp.origin;
  origins.cozeApi = cozeApi.origin;
  origins.cozeWeb = coze.webOrigin;
  return {
    appOrigin: app.origin,
    origins: [app.origin, idp.origin, coze.apiOrigin, coze.webOrigin, cozeApi.origin],
    homeUrl: (id) => `${app.origin}/${id}/`,
    close: async () => {
      await Promise.all([app.close(), idp.close(), cozeApi.close(), coze.close()]);
    },
  };
}

// Runs in every document before its scripts: the click's time (capture phase, before any app
// handler) and the moment the signed-in marker enters the DOM, both as epoch ms
// (performance.timeOrigin + a monotonic reading), the clock CDP's `wallTime` uses.
const PAGE_PROBE = `(() => {
  const report = (name, at) => void window.benchTime?.(name, at);
  addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('#${SIGN_IN_ID}')) report('click', performance.timeOrigin + event.timeStamp);
  }, true);
  let seen = false;
  new MutationObserver(() => {
    if (!seen && document.getElementById('${SIGNED_IN_ID}')) {
      seen = true;
      report('signed-in', performance.timeOrigin + performance.now());
    }
  }).observe(document, { childList: true, subtree: true });
})();`;

interface Request {
  id: string;
  url: string;
  type: string;
  method: string;
  /** Epoch ms when the browser created the request (for a redirect, when it followed it). */
  sentAt: number;
  /** CDP monotonic seconds, to turn later monotonic timestamps into epoch ms. */
  sentTicks: number;
  endAt?: number;
  fromCache: boolean;
  encodedBytes: number;
}

interface BenchTab {
  page: Page;
  cdp: CDPSession;
  /** What PAGE_PROBE reported in this run: `click` and `signed-in`, epoch ms. */
  times: Map<string, number>;
  /** Every request of this run, from CDP. */
  requests: Request[];
  close(): Promise<void>;
}

/**
 * One tab per app, reused across its runs (a new tab costs seconds on a loaded machine); reset()
 * empties it between runs. The network emulation is set once and holds across navigations.
 */
async function openTab(browser: Browser): Promise<BenchTab> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const times = new Map<string, number>();
  await page.exposeFunction('benchTime', (name: string, at: number) => {
    if (!times.has(name)) times.set(name, at);
  });
  await page.addInitScript(PAGE_PROBE);
  const cdp = await context.newCDPSession(page);
  const requests: Request[] = [];
  const current = new Map<string, Request>();
  cdp.on('Network.requestWillBeSent', (event) => {
    const request: Request = {
      id: event.requestId,
      url: event.request.url,
      type: event.type ?? 'Other',
      method: event.request.method,
      sentAt: event.wallTime * 1000,
      sentTicks: event.timestamp,
      fromCache: false,
      encodedBytes: 0,
    };
    // A redirect reuses the request id: the earlier hop ends where the next one starts.
    const previous = current.get(event.requestId);
    if (previous) previous.endAt = request.sentAt;
    current.set(event.requestId, request);
    requests.push(request);
  });
  cdp.on('Network.requestServedFromCache', (event) => {
    const request = current.get(event.requestId);
    if (request) request.fromCache = true;
  });
  cdp.on('Network.responseReceived', (event) => {
    const request = current.get(event.requestId);
    if (request && (event.response.fromDiskCache || event.response.fromPrefetchCache)) request.fromCache = true;
  });
  cdp.on('Network.loadingFinished', (event) => {
    const request = current.get(event.requestId);
    if (!request) return;
    request.endAt = request.sentAt + (event.timestamp - request.sentTicks) * 1000;
    request.encodedBytes = event.encodedDataLength;
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', EMULATION);
  return { page, cdp, times, requests, close: () => context.close() };
}

/** Back to a fresh device: no storage, cookies or HTTP cache (CORS preflight cache included) for any bench origin. */
async function reset(tab: BenchTab, servers: Servers): Promise<void> {
  const { page, cdp } = tab;
  // sessionStorage belongs to the tab: cleared from a page of the app's origin, where every run ends.
  if (page.url().startsWith(servers.appOrigin)) await page.evaluate(() => sessionStorage.clear()).catch(() => undefined);
  await page.goto('about:blank');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.clearBrowserCookies');
  for (const origin of servers.origins) await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
  tab.times.clear();
  tab.requests.length = 0;
}

async function waitForTime(tab: BenchTab, name: string): Promise<number> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const at = tab.times.get(name);
    if (at !== undefined) return at;
    if (Date.now() > deadline) throw new Error(`no ${name} within ${TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The authorize navigation and the callback navigation, as the browser started them. */
function navigations(tab: BenchTab, servers: Servers, id: string): { authorize: Request; callback: Request } {
  const documents = tab.requests.filter((r) => r.type === 'Document');
  const authorize = documents.find((r) => new URL(r.url).origin !== servers.appOrigin);
  const callback = documents.find((r) => new URL(r.url).pathname === `/${id}/callback`);
  if (!authorize || !callback) throw new Error('the authorize or callback navigation was not seen');
  return { authorize, callback };
}

/**
 * One sign-in. Warm: load, network idle (Playwright: no request for 500 ms), hover, click; the
 * app's assets are then in the HTTP cache for the callback page. Cold: click as soon as the page
 * has loaded, with the HTTP cache disabled from then on, so the callback page loads as on a fresh device.
 */
async function signIn(tab: BenchTab, servers: Servers, id: string, warm: boolean): Promise<Run> {
  const { page, cdp } = tab;
  try {
    // Nothing before the click is timed in the hover flow, which waits for network idle anyway:
    // its home page loads unthrottled, to keep the bench short. The cold flow's click right after
    // load depends on how far the page got, so its home page loads on the emulated network.
    if (warm) await cdp.send('Network.emulateNetworkConditions', NO_EMULATION);
    await page.goto(servers.homeUrl(id), { waitUntil: 'load' });
    const button = page.locator(`#${SIGN_IN_ID}`);
    if (warm) {
      await page.waitForLoadState('networkidle');
      await cdp.send('Network.emulateNetworkConditions', EMULATION);
    } else {
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    }
    // The mouse, not locator.click(): no actionability round trips between "loaded" and the click.
    await button.waitFor();
    const box = await button.boundingBox();
    if (!box) throw new Error('the sign-in button has no box');
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    if (warm) {
      await page.mouse.move(x, y);
      await page.waitForTimeout(HOVER_MS);
      await page.mouse.down();
      await page.mouse.up();
    } else {
      await page.mouse.click(x, y);
    }
    const signedInAt = await waitForTime(tab, 'signed-in');
    const clickAt = await waitForTime(tab, 'click');
    const { authorize, callback } = navigations(tab, servers, id);
    const waterfall = tab.requests
      .filter((r) => r.sentAt >= callback.sentAt && r.sentAt <= signedInAt && !r.url.endsWith('/favicon.ico'))
      .map((r) => ({
        url: r.url,
        type: r.type,
        method: r.method,
        startMs: r.sentAt - callback.sentAt,
        endMs: (r.endAt ?? Number.NaN) - callback.sentAt,
        fromCache: r.fromCache,
        encodedBytes: r.encodedBytes,
      }));
    const awaited = tab.requests.filter(
      (r) => r.type === 'Script' && r.sentAt < authorize.sentAt && (r.endAt ?? Number.POSITIVE_INFINITY) > clickAt,
    );
    const clickWaitedFor = awaited.length
      ? {
          firstRequestedMs: Math.min(...awaited.map((r) => r.sentAt)) - clickAt,
          lastArrivedMs: Math.max(...awaited.map((r) => r.endAt ?? Number.NaN)) - clickAt,
        }
      : undefined;
    return { clickMs: authorize.sentAt - clickAt, clickWaitedFor, callbackMs: signedInAt - callback.sentAt, waterfall };
  } finally {
    await reset(tab, servers);
  }
}

async function measureApp(browser: Browser, servers: Servers, id: string, app: LatencyApp): Promise<LatencyFigures> {
  const tab = await openTab(browser);
  const warm: Run[] = [];
  const cold: Run[] = [];
  try {
    for (let run = 0; run < LATENCY_RUNS; run += 1) {
      warm.push(await signIn(tab, servers, id, true));
      cold.push(await signIn(tab, servers, id, false));
    }
  } finally {
    await tab.close();
  }
  // Every run starts from an empty preflight cache: a preflight in some runs but not others means state leaked.
  const preflights = [...warm, ...cold].map((r) => r.waterfall.filter((e) => e.method === 'OPTIONS').length);
  if (new Set(preflights).size > 1) throw new Error(`preflights per run differ (${preflights.join(', ')}): state leaked between runs`);
  const medianRun = (runs: Run[]) => {
    const m = median(runs.map((r) => r.callbackMs));
    return runs.reduce((a, b) => (Math.abs(b.callbackMs - m) < Math.abs(a.callbackMs - m) ? b : a));
  };
  const coldWaterfall = medianRun(cold).waterfall;
  // What the callback page loads before any app code runs: the document, the entry and its modulepreloads.
  const initial = new Set([app.entry, ...app.preloads].map((file) => `/${file}`));
  const initialBytes = coldWaterfall
    .filter((r) => r.type === 'Document' || initial.has(new URL(r.url).pathname))
    .reduce((sum, r) => sum + r.encodedBytes, 0);
  return {
    clickAfterHover: warm.map((r) => r.clickMs),
    clickCold: cold.map((r) => r.clickMs),
    callbackWarm: warm.map((r) => r.callbackMs),
    callbackCold: cold.map((r) => r.callbackMs),
    clickWaits: { afterHover: warm.map((r) => r.clickWaitedFor), cold: cold.map((r) => r.clickWaitedFor) },
    warmWaterfall: medianRun(warm).waterfall,
    coldWaterfall,
    initialBytes,
  };
}

export interface LatencyResults {
  libraries: LatencyResult[];
  /** The hand-written Coze sign-in (bench/latency/apps/reference.tsx), measured the same way. */
  reference: LatencyFigures | { error: string };
}

const errorOf = (error: unknown) => ({ error: error instanceof Error ? (error.message.split('\n')[0] ?? 'failed') : String(error) });

/** Builds the latency apps and times every measurable library's sign-in in Chromium, then the reference. */
export async function measureLatency(log: (line: string) => void = () => undefined): Promise<LatencyResults> {
  // BENCH_LATENCY_ONLY=coze,reference times only those (a quick look while working; the README's
  // table always comes from a full run).
  const only = process.env.BENCH_LATENCY_ONLY?.split(',');
  const skipped = (id: string) => only !== undefined && !only.includes(id);
  const measured = LIBRARIES.filter((library) => !NOT_MEASURABLE[library.id] && !skipped(library.id));
  const outDir = `${ROOT}node_modules/.cache/bench-latency-apps`;
  log('latency: building the apps (production mode)');
  const apps = await buildLatencyApps([...measured.map((library) => library.id), ...(skipped(REFERENCE.id) ? [] : [REFERENCE.id])], outDir);
  const servers = await startServers(outDir, apps);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const libraries: LatencyResult[] = [];
    for (const library of LIBRARIES) {
      const reason = NOT_MEASURABLE[library.id] ?? (skipped(library.id) ? 'skipped (BENCH_LATENCY_ONLY)' : undefined);
      if (reason) {
        libraries.push({ library, notMeasurable: reason });
        continue;
      }
      log(`latency: ${library.name}`);
      try {
        libraries.push({ library, figures: await measureApp(browser, servers, library.id, apps[library.id] as LatencyApp) });
      } catch (error) {
        libraries.push({ library, ...errorOf(error) });
      }
    }
    log(`latency: ${REFERENCE.name}`);
    let reference: LatencyFigures | { error: string };
    if (skipped(REFERENCE.id)) return { libraries, reference: { error: 'skipped (BENCH_LATENCY_ONLY)' } };
    try {
      reference = await measureApp(browser, servers, REFERENCE.id, apps[REFERENCE.id] as LatencyApp);
    } catch (error) {
      reference = errorOf(error);
    }
    return { libraries, reference };
  } finally {
    await browser.close();
    await servers.close();
  }
}
