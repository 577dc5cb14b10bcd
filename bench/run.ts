// `npm run bench`: size and behaviour of react-coze-auth and its peers, measured in one run,
// printed as one Markdown table and written to bench/results/latest.md.
// Exits non-zero when a measurement of ours fails or breaks one of the invariants we claim.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  CALLERS,
  LATENCY_MS,
  measureBehaviour,
  type BehaviourResult,
  type RefreshFigures,
  type SignInFigures,
} from './behaviour/measureBehaviour';
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

/** The invariants react-coze-auth claims; a regression fails the command. */
function checkOurClaims(ours: BehaviourResult | undefined): string[] {
  const failures: string[] = [];
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
  const date = new Date().toISOString().slice(0, 10);

  const header = [
    'Library',
    'Initial JS (min+gzip)',
    'Initial (brotli)',
    'Total incl. lazy chunks (min+gzip)',
    'Total (brotli)',
    'Token requests per sign-in (StrictMode)',
    'Round trips, callback page → token',
    'Callback page → token',
    `Refresh requests when ${CALLERS} callers ask for a token after expiry`,
    'Re-renders of the API-client consumer across the refresh',
  ];
  const rows = sizes.map((size) => {
    const result = size.label === labelOf(size.library) ? behaviour.find((b) => b.library.id === size.library.id) : undefined;
    const [exchanges = '—', roundTrips = '—', ms = '—'] = signInCells(result);
    return [size.label, ...sizeCells(size), exchanges, roundTrips, ms, ...refreshCells(result)];
  });
  const table = markdownTable(header, rows);

  const ours = behaviour.find((b) => b.library.id === 'coze');
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
    ...notMeasurable.map((line) => `¹ ${line}.`),
  ];
  const markdown = `${table}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n`;

  console.log(markdown);
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(`${ROOT}bench/results/latest.md`, `# Benchmark: react-coze-auth and its peers\n\n${markdown}`);
  progress('wrote bench/results/latest.md');

  const failures = checkOurClaims(ours);
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
