/**
 * What the app observed, in one small external store: rendered as data-testid elements for the
 * tests' assertions, and mirrored on `window.__e2e` for `page.evaluate`.
 */
import { useSyncExternalStore } from 'react';
import type { CozeSession } from 'react-coze-auth';

export interface RecordedEvent {
  type: string;
  /** Page clock, ms. */
  at: number;
  reason?: string;
  source?: string;
  errorCode?: string;
  attempt?: number;
  delayMs?: number;
  expiresAt?: number;
}

export interface ProbeState {
  /** API calls made from this page (poller, buttons, burst) that were started. */
  apiStarted: number;
  /** API calls made from this page (poller, buttons, burst) that succeeded. */
  apiOk: number;
  /** API calls Coze answered 401 (token missing, expired or revoked). */
  api401: number;
  /** API calls that failed otherwise (network, login_required, …). */
  apiFail: number;
  lastApiError: string;
  /** Bursts of parallel calls completed. */
  bursts: number;
  /** Session events, oldest first. */
  events: RecordedEvent[];
  /** Times the session left `signed-in` after having been signed in (sign-out or a flash). */
  signedOutTransitions: number;
  /** Runs of a mount-only effect: 2 under StrictMode in development (proves StrictMode is live), else 1. */
  mountEffects: number;
  /** Every status the session went through, collapsed (e.g. signed-out → signing-in → signed-in). */
  statusHistory: string[];
}

let state: ProbeState = {
  apiStarted: 0,
  apiOk: 0,
  api401: 0,
  apiFail: 0,
  lastApiError: '',
  bursts: 0,
  events: [],
  signedOutTransitions: 0,
  mountEffects: 0,
  statusHistory: [],
};
const listeners = new Set<() => void>();

let countCozeQueries: () => number = () => 0;

declare global {
  interface Window {
    __e2e?: {
      probe: () => ProbeState;
      cozeQueries: () => number;
      /** The provider's session (`useCozeSession()`), for tests that call the core API directly. */
      session?: CozeSession;
      /** A second, React-free CozeSession on the same config and storage (what non-React code would use). */
      coreSession?: () => CozeSession;
    };
  }
}
window.__e2e = { probe: () => state, cozeQueries: () => countCozeQueries() };

/** How to count the Coze queries in the app's TanStack cache (set once the provider is up). */
export function setCozeQueryCounter(counter: () => number): void {
  countCozeQueries = counter;
}

export function updateProbe(patch: (current: ProbeState) => Partial<ProbeState>): void {
  const changes = patch(state);
  if (Object.keys(changes).length === 0) return;
  state = { ...state, ...changes };
  for (const listener of [...listeners]) listener();
}

export function useProbe(): ProbeState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
