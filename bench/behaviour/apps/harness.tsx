// What every bench app shares: its configuration, the hooks the Node side drives it through
// (`window.bench`), render counting, and a StrictMode root. Each app only wires its library.
import { Profiler, StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';

/** Endpoints handed to an app by the server that serves its HTML. */
export interface BenchConfig {
  libraryId: string;
  appOrigin: string;
  /** `${appOrigin}/${libraryId}/callback` */
  redirectUri: string;
  /** `${appOrigin}/${libraryId}/` */
  homeUrl: string;
  clientId: string;
  /** The standard OAuth/OIDC server (peers). */
  idpOrigin: string;
  /** The fake Coze api and web hosts (ours). */
  cozeApiOrigin: string;
  cozeWebOrigin: string;
}

/** Outcome of asking for a token `n` times at once. */
export interface TokenRequestsResult {
  /** Callers whose promise resolved to a token. */
  withToken: number;
  /** Callers whose promise resolved without one (a library that swallows the error, or returns void). */
  empty: number;
  rejected: number;
  distinctTokens: number;
  firstError: string | undefined;
}

/** What an app exposes on `window.bench` once its library is ready. */
export interface BenchControls {
  /** Starts a sign-in (navigates away). */
  login(): void;
  /** Asks the library for a valid token `n` times at once, the way a component would. */
  requestTokens(n: number): Promise<TokenRequestsResult>;
  /** How the app asks for a token, for the table. */
  tokenApi: string;
  /** False when that API resolves to nothing by design. Default true. */
  returnsToken?: boolean;
}

declare global {
  interface Window {
    BENCH_CONFIG: BenchConfig;
    bench?: BenchControls;
    /** Installed by the Node side (page.exposeFunction); timestamps events without a network request. */
    benchEvent?: (name: string) => Promise<void>;
  }
}

export const config: BenchConfig = window.BENCH_CONFIG;
export const isCallback = location.pathname.endsWith('/callback');

/** Publishes the controls; called from an effect of the app's harness component. */
export function exposeControls(controls: BenchControls): void {
  window.bench = controls;
}

/** Tells the Node side (without any network traffic) that the app holds an access token. */
export function useReportToken(token: string | undefined): void {
  useEffect(() => {
    if (token) void window.benchEvent?.(`token`);
  }, [token]);
}

/** Resolves `n` concurrent token requests and summarises them. */
export async function settleAll(n: number, request: () => Promise<string | undefined>): Promise<TokenRequestsResult> {
  const results = await Promise.allSettled(Array.from({ length: n }, request));
  const tokens = new Set<string>();
  let firstError: string | undefined;
  for (const result of results) {
    if (result.status === 'fulfilled' && result.value) tokens.add(result.value);
    if (result.status === 'rejected') firstError ??= String(result.reason);
  }
  const rejected = results.filter((result) => result.status === 'rejected').length;
  const withToken = results.filter((result) => result.status === 'fulfilled' && result.value).length;
  return { withToken, empty: n - rejected - withToken, rejected, distinctTokens: tokens.size, firstError };
}

/**
 * Counts commits of the API-client consumer: it returns its output through this Profiler, which
 * therefore commits exactly when the consumer re-rendered. (A Profiler *around* the consumer
 * missed context-driven re-renders in React 19: it bails out before the change reaches the child.)
 * Each app renders its consumer once as a stable element, so only the library can re-render it.
 */
export function countRenders(children: ReactNode): ReactNode {
  return (
    <Profiler
      id="client-consumer"
      onRender={() => {
        // Reported to Node too: a library may reload the page, which resets this counter.
        void window.benchEvent?.('render');
      }}
    >
      {children}
    </Profiler>
  );
}

/** Mounts the app under StrictMode: double effects in development are what the first figure is about. */
export function mount(app: ReactNode): void {
  createRoot(document.getElementById('root')!).render(<StrictMode>{app}</StrictMode>);
}
