// `npm run bench`: size and behaviour of react-coze-auth and its peers, measured in one run,
// printed as one Markdown table and written to bench/results/latest.md.
// Exits non-zero when a measurement of ours fails or breaks one of the invariants we claim.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import {
  CALLERS,
  LATENCY_MS,
  measureBehaviour,
  type BehaviourResult,
  type RefreshFigures,
  type SignInFigures,
} from './behaviour/measureBehaviour';
import {
  EMULATION,
  FRAME_MS,
  HOVER_MS,
  LATENCY_RUNS,
  NETWORK,
  REFERENCE,
  measureLatency,
  median,
  transferMs,
  type LatencyFigures,
  type LatencyResult,
  type WaterfallEntry,
} from './latency/measureLatency';
import { kb, markdownTable } from './lib/format';
import { LIBRARIES, ROOT, labelOf } from './lib/libraries';
import { measureSizes, type SizeResult } from './size/measureSizes';

const started = Date.now();
const progress = (line: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

function chromiumVersion(): string {
  try {
    // Debian's wrapper script prints a harmless shell warning on stderr: ignore it.
    return execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'Chromium (version unknown)';
  }
}

const isError = (value: object | undefined): value is { error: string } => value !== undefined && 'error' in value;

function signInCells(result: BehaviourResult | undefined): string[] {
  if (!result) return ['—', '—', '—'];
  if (result.notMeasurable) return ['n/a¹', 'n/a¹', 'n/a¹'];
  const signIn = result.signIn;
  if (!signIn || isError(signIn)) return [`error: ${signIn?.error ?? 'not run'}`, '—', '—'];
  const s: SignInFigures = signIn;
  const exchanges = s.failedExchanges > 0 ? `${s.exchanges} (${s.failedExchanges} rejected)` : `${s.exchanges}`;
  return [exchanges, `${s.roundTrips} (${s.roundTripKinds.join(', ') || 'none'})`, `${Math.round(s.ms)} ms`];
}

function refreshCells(result: BehaviourResult | undefined): string[] {
  if (!result) return ['—', '—'];
  if (result.notMeasurable) return ['n/a¹', 'n/a¹'];
  const refresh = result.refresh;
  if (!refresh || isError(refresh)) return [`error: ${refresh?.error ?? 'not run'}`, '—'];
  const r: RefreshFigures = refresh;
  const details: string[] = [];
  if (r.failedRefreshes > 0) details.push(`${r.failedRefreshes} answered invalid_grant`);
  if (!r.result) details.push('the page navigated away before the callers got an answer');
  else {
    if (r.result.rejected > 0) details.push(`${r.result.rejected} of ${CALLERS} calls rejected`);
    if (r.returnsToken && r.result.empty > 0) details.push(`${r.result.empty} of ${CALLERS} calls resolved without a token`);
  }
  if (r.reauthorized) details.push('then it redirected to sign in again');
  const refreshes = `${r.refreshes} via ${r.tokenApi}${details.length ? ` (${details.join('; ')})` : ''}`;
  return [refreshes, `${r.renders}${r.reauthorized ? ' (until the page left)' : ''}`];
}

function sizeCells(size: SizeResult): string[] {
  const lazy = size.chunks > 1;
  return [
    kb(size.initial.gzip),
    kb(size.initial.brotli),
    lazy ? kb(size.total.gzip) : `${kb(size.total.gzip)} (no lazy chunk)`,
    kb(size.total.brotli),
  ];
}

const ms = (value: number) => `${Math.round(value)} ms`;

function latencyCells(result: LatencyResult | undefined): string[] {
  if (!result) return ['—', '—', '—', '—'];
  if (result.notMeasurable) return ['n/a¹', 'n/a¹', 'n/a¹', 'n/a¹'];
  if (!result.figures) return [`error: ${result.error ?? 'not run'}`, '—', '—', '—'];
  return figureCells(result.figures);
}

/** "576 ms (562–603)": the median, and the range of the runs. */
function figureCells(f: LatencyFigures): string[] {
  return [f.clickAfterHover, f.clickCold, f.callbackWarm, f.callbackCold].map(
    (runs) => `${ms(median(runs))} (${Math.round(Math.min(...runs))}–${Math.round(Math.max(...runs))})`,
  );
}

/** How often our click waited for a script, and for the cold runs, when those scripts were requested and arrived. */
function clickWaitLine(f: LatencyFigures): string {
  const waited = (waits: LatencyFigures['clickWaits']['cold']) => waits.filter((w) => w !== undefined);
  const cold = waited(f.clickWaits.cold);
  const detail = cold.length
    ? ` (median: requested ${Math.round(-median(cold.map((w) => w.firstRequestedMs)))} ms before the click, ` +
      `the last one arrived ${Math.round(median(cold.map((w) => w.lastArrivedMs)))} ms after it)`
    : '';
  return (
    `Our click waited for the sign-in chunks in ${waited(f.clickWaits.afterHover).length} of ${LATENCY_RUNS} runs after hover ` +
    `and ${cold.length} of ${LATENCY_RUNS} right after load${detail}.`
  );
}

/** "document 0–161, app.js 352–694, …": where a callback's time went, request by request. */
function waterfallLine(entries: readonly WaterfallEntry[], signedInMs: number): string {
  const name = (entry: WaterfallEntry) => {
    const url = new URL(entry.url);
    if (entry.type === 'Document') return 'callback document';
    if (entry.method === 'OPTIONS') return 'preflight';
    if (url.pathname.endsWith('/token')) return 'token exchange';
    return url.pathname.split('/').pop()?.replace(/-[\w-]{8}\.js$/, '.js') ?? url.pathname;
  };
  const parts = entries.map((e) => `${name(e)} ${Math.round(e.startMs)}–${Math.round(e.endMs)}${e.fromCache ? ' (HTTP cache)' : ''}`);
  return `${parts.join(', ')}; signed-in marker ${Math.round(signedInMs)} ms`;
}

/** The invariants react-coze-auth claims; a regression fails the command. */
function checkOurClaims(ours: BehaviourResult | undefined, latency: LatencyResult | undefined): string[] {
  const failures: string[] = [];
  if (!latency?.figures) failures.push(`latency not measured: ${latency?.error ?? 'not run'}`);
  const signIn = ours?.signIn;
  const refresh = ours?.refresh;
  if (!signIn || isError(signIn)) failures.push(`sign-in failed: ${signIn?.error ?? 'not run'}`);
  else if (signIn.exchanges !== 1 || signIn.failedExchanges !== 0) failures.push(`expected 1 code exchange, saw ${signIn.exchanges}`);
  if (!refresh || isError(refresh)) failures.push(`refresh failed: ${refresh?.error ?? 'not run'}`);
  else {
    if (refresh.refreshes !== 1) failures.push(`expected 1 refresh for ${CALLERS} callers, saw ${refresh.refreshes}`);
    if (refresh.result?.withToken !== CALLERS) failures.push(`expected ${CALLERS} callers with a token, saw ${refresh.result?.withToken ?? 0}`);
    if (refresh.renders !== 0) failures.push(`expected 0 re-renders of the useCozeClient consumer, saw ${refresh.renders}`);
  }
  return failures;
}

async function main(): Promise<number> {
  const sizes = await measureSizes(progress);
  const behaviour = await measureBehaviour(progress);
  const loadBefore = loadavg()[0] ?? 0;
  const latency = await measureLatency(progress);
  const loadAfter = loadavg()[0] ?? 0;
  const date = new Date().toISOString().slice(0, 10);

  const header = [
    'Library',
    'Initial JS (min+gzip)',
    'Initial (brotli)',
    'Total incl. lazy chunks (min+gzip)',
    'Total (brotli)',
    `Click → authorize navigation starts, after hover (${NETWORK.rttMs} ms RTT)`,
    'Click → authorize navigation, right after load',
    'Callback → signed in, app cached',
    'Callback → signed in, cold cache (fresh device)',
    'Token requests per sign-in (StrictMode)',
    'Round trips, callback page → token',
    'Callback page → token',
    `Refresh requests when ${CALLERS} callers ask for a token after expiry`,
    'Re-renders of the API-client consumer across the refresh',
  ];
  const rows = sizes.map((size) => {
    const result = size.label === labelOf(size.library) ? behaviour.find((b) => b.library.id === size.library.id) : undefined;
    const timing = size.label === labelOf(size.library) ? latency.libraries.find((l) => l.library.id === size.library.id) : undefined;
    const [exchanges = '—', roundTrips = '—', time = '—'] = signInCells(result);
    return [size.label, ...sizeCells(size), ...latencyCells(timing), exchanges, roundTrips, time, ...refreshCells(result)];
  });
  const noSize = ['—', '—', '—', '—'];
  const noBehaviour = ['—', '—', '—', '—', '—'];
  const reference = 'error' in latency.reference ? undefined : latency.reference;
  rows.push([
    `${REFERENCE.name}, the yardstick`,
    ...noSize,
    ...(reference ? figureCells(reference) : [`error: ${'error' in latency.reference ? latency.reference.error : ''}`, '—', '—', '—']),
    ...noBehaviour,
  ]);
  // The floor: what no client can avoid at this RTT and throughput, for Coze's JSON token endpoint.
  const rtt = NETWORK.rttMs;
  const floorInitialBytes = reference?.initialBytes ?? 0;
  const floors = {
    click: FRAME_MS,
    warm: 3 * rtt,
    cold: 4 * rtt + transferMs(floorInitialBytes),
  };
  rows.push([
    `physical floor at ${rtt} ms RTT, ${NETWORK.downloadMbps} Mbit/s (Coze: JSON token endpoint)`,
    ...noSize,
    `${ms(floors.click)} (1 frame)`,
    `${ms(floors.click)} (1 frame)`,
    `${ms(floors.warm)} (3 RTT)`,
    `${ms(floors.cold)} (4 RTT + ${kb(floorInitialBytes)})`,
    ...noBehaviour,
  ]);
  const table = markdownTable(header, rows);

  const ours = behaviour.find((b) => b.library.id === 'coze');
  const ourLatency = latency.libraries.find((l) => l.library.id === 'coze');
  const ourFigures = ourLatency?.figures;
  const cpu = cpus();
  const helper = sizes.find((size) => size.library.id === 'coze')?.vitePreloadHelperGzip ?? 0;
  const notMeasurable = behaviour.filter((b) => b.notMeasurable).map((b) => `${b.library.name}: ${b.notMeasurable}`);
  const notes = [
    `Measured ${date} with \`npm run bench\` on Node ${process.version}, ${chromiumVersion()}; peers: ${LIBRARIES.filter((l) => l.pkg)
      .map(labelOf)
      .join(', ')}.`,
    '**Size**: one minimal app per library (bench/size/entries: provider, login button, callback handling, read a token), ' +
      'Vite production build, minified, es2022, `react`/`react-dom` external for all, plus `@tanstack/react-query` and `@coze/api` ' +
      'for ours (our peers: the app brings them; the row "peers bundled too" shows the cost when it does not). Sizes are summed per chunk, ' +
      'gzip level 9 and brotli quality 11; 1 kB = 1000 bytes. Ours is imported from src/ (the same code the library build emits).',
    `Our initial chunk includes ${kb(helper)} (gzip) of Vite's dynamic-import preload helper, which any Vite app with a lazy route already ships.`,
    '**Behaviour**: headless Chromium, each app built in development mode (StrictMode double effects, React Profiler), ' +
      `rendered under \`<StrictMode>\`, against local servers that add ${LATENCY_MS} ms to every request: the fake Coze of src/testing ` +
      'for ours (JSON token body, absolute `expires_in`), and bench/behaviour/standardOAuthServer.ts (form-urlencoded, OIDC discovery) ' +
      'for the peers, which cannot speak Coze. Both rotate refresh tokens and answer a spent code or refresh token with invalid_grant. ' +
      'The app runs on another origin than the servers, as in production, so non-simple requests (a JSON body) need a CORS preflight.',
    '*Round trips* are the requests any server received between serving the callback page and the app holding a token ' +
      '(assets from the HTTP cache do not count); each library signs in 3 times in a fresh browser context, the counts are the ' +
      'worst run and the time the median. *Refresh*: after sign-in, both clocks jump past expiry (as after a laptop sleep), ' +
      `then ${CALLERS} callers ask at once through the API named in the cell; requests are counted until 2 s after the last answer. ` +
      '*Re-renders* are Profiler commits of a component that holds what the app needs to call an API ' +
      '(useCozeClient; useAuth; useOidcAccessToken; useAuth0; AuthContext), over the same window.',
    `**Latency**: the same minimal app per library (bench/latency/apps: sign-in button, callback, a signed-in element) as a Vite ` +
      'production build (React and everything else bundled, ours with @tanstack/react-query; gzip on the wire; the entry\'s static ' +
      'imports as `<link rel="modulepreload">`, as Vite\'s HTML plugin writes them), against the same kinds of local servers, in ' +
      `headless Chromium with CDP \`Network.emulateNetworkConditions\` \`${JSON.stringify(EMULATION)}\` on the tab. Chromium defines ` +
      `\`latency\` as the minimum time from sending a request to receiving its response headers, so every request that leaves the ` +
      `HTTP cache costs one ${rtt} ms round trip; throughputs are bytes/s (${NETWORK.downloadMbps} Mbit/s down, ` +
      `${NETWORK.uploadMbps} Mbit/s up). Chromium does not delay the CORS preflights it sends itself (they answered in 10–30 ms), so ` +
      `the servers hold every preflight for ${rtt} ms instead; connection setup (DNS, TCP, TLS) is not emulated. The servers add no ` +
      'other delay. One tab per app; storage, cookies and the HTTP cache are cleared between runs. ' +
      `Median of ${LATENCY_RUNS} runs per cell, the runs' range in brackets.`,
    '*Click → authorize*: from the click event on the sign-in button (`performance.timeOrigin + event.timeStamp`, capture phase) ' +
      'to the browser starting the navigation to the authorize URL (CDP `Network.requestWillBeSent` of that document, `wallTime`). ' +
      'After hover: load the home page (unthrottled: nothing before the click is timed here), wait for network idle (Playwright: ' +
      `500 ms without requests), move the mouse onto the button, wait ${HOVER_MS} ms, press and release. Right after load: load ` +
      'the home page on the emulated network and click as soon as the load event fired and the button has a box (the pointer ' +
      'arrives on the button with the click). react-coze-auth fetches its sign-in chunks when idle while signed out, and on hover ' +
      'and focus; whether they are there at the click is what the two columns tell apart.',
    '*Callback → signed in*: from the browser starting the navigation to the callback URL (`?code&state`, followed from the ' +
      'authorize endpoint\'s redirect: `Network.requestWillBeSent`, `wallTime`) to the app\'s signed-in element entering the DOM ' +
      '(MutationObserver, `performance.timeOrigin + performance.now()`). App cached: the sign-ins of the hover column, whose home ' +
      'page left the app\'s scripts in the HTTP cache, as in any real sign-in; cold cache: those of the other column, with the ' +
      'HTTP cache disabled (`Network.setCacheDisabled`) before the click, so the callback page fetches everything, as on a fresh device.',
    `*Floor*: one frame (${ms(FRAME_MS)} at 60 Hz) for a click. For the callback on Coze, whose token endpoint takes a JSON body, ` +
      `hence a CORS preflight before the POST: document + preflight + exchange = 3 × ${rtt} ms with the app cached; with a cold ` +
      `cache one more round trip for the entry script plus its bytes at ${NETWORK.downloadMbps} Mbit/s, counted as the ` +
      `yardstick's (${kb(floorInitialBytes)}: document, React, a page): 4 × ${rtt} + ${Math.round(transferMs(floorInitialBytes))} ms. ` +
      `Peers use a form-urlencoded endpoint that needs no preflight, so their floor is one round trip (${rtt} ms) lower. The ` +
      'yardstick (bench/latency/apps/reference.tsx) shows what this machine adds to the floor (process switch, parsing, rendering): ' +
      'PKCE pair and state made on load, `location.assign` in the click handler, the exchange started while the entry script is ' +
      'evaluated, React rendering the signed-in element.',
    ...(ourFigures
      ? [
          `${clickWaitLine(ourFigures)} Where our callback time goes (median run; ms from the callback navigation): app cached: ${waterfallLine(
            ourFigures.warmWaterfall,
            median(ourFigures.callbackWarm),
          )}. Cold cache: ${waterfallLine(ourFigures.coldWaterfall, median(ourFigures.callbackCold))}.`,
        ]
      : []),
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, shared with other work; 1-minute load average ` +
      `${loadBefore.toFixed(1)} when the latency runs started and ${loadAfter.toFixed(1)} when they ended. Timings move with the ` +
      'load (compare the yardstick); the floor does not.',
    ...notMeasurable.map((line) => `¹ ${line}.`),
  ];
  const markdown = `${table}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n`;

  console.log(markdown);
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(`${ROOT}bench/results/latest.md`, `# Benchmark: react-coze-auth and its peers\n\n${markdown}`);
  progress('wrote bench/results/latest.md');

  const failures = checkOurClaims(ours, ourLatency);
  for (const failure of failures) console.error(`bench: FAIL react-coze-auth: ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench: failed:', error);
    process.exit(1);
  },
);
