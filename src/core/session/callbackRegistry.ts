import type { SessionHost } from './CozeSession.js';
import type { CallbackResult } from './types.js';

// One in-flight callback per client and state in this page. React StrictMode runs effects twice,
// two <CozeCallback>s may mount, and a component may remount mid-exchange: each gets the same
// promise, so a code is exchanged exactly once. While a callback's sign-in is on the wire another
// session of the same client (a provider remounted with a new session, or a second provider) can
// join it, once: the join waits for the exchange, then takes the sign-in it made, as long as that
// is still the starting session's current one. Settled entries are dropped: by then the pending
// sign-in is consumed, and a later replay of the URL is answered from the session's state.

/** A sign-in another session of this page started from its callback, as a joining session sees it. */
export interface InFlightCallback {
  readonly url: string;
  readonly state: string;
  /** The host of the session that started it; its state says what the exchange signed in. */
  readonly host: SessionHost;
  /** The starting session's generation for this sign-in (none for a used URL: nothing to join). */
  readonly generation: number | undefined;
  readonly promise: Promise<CallbackResult>;
}

interface Entry extends InFlightCallback {
  readonly clientId: string;
  readonly joins: WeakMap<object, Promise<CallbackResult>>;
}

const inFlight = new Map<string, Entry>();

function joinOrShare(entry: Entry, host: object, complete: (joined: InFlightCallback) => Promise<CallbackResult>): Promise<CallbackResult> {
  if (entry.host === host || entry.generation !== entry.host.state.generation) return entry.promise;
  let joined = entry.joins.get(host);
  if (!joined) entry.joins.set(host, (joined = complete(entry)));
  return joined;
}

/**
 * Completes callback `state` of `url` once per page: the promise in flight for it (this session's
 * own, or this session's one join of another's sign-in, `complete(joined)`), else a new one (`complete()`).
 */
export function runOncePerCallback(
  clientId: string,
  url: string,
  state: string,
  host: SessionHost,
  complete: (joined?: InFlightCallback) => Promise<CallbackResult>,
): Promise<CallbackResult> {
  const key = `${clientId} ${state}`;
  const existing = inFlight.get(key);
  if (existing) return joinOrShare(existing, host, complete);
  const before = host.state.generation;
  const promise = complete();
  // A pending sign-in moves the generation before anything is awaited; a used URL does not.
  const generation = host.state.generation !== before ? host.state.generation : undefined;
  inFlight.set(key, { clientId, url, state, host, generation, promise, joins: new WeakMap() });
  const forget = () => inFlight.delete(key);
  promise.then(forget, forget);
  return promise;
}

/** This session's join of a sign-in of `clientId` that another session of this page is completing, if any. */
export function joinCallbackInFlight(
  clientId: string,
  host: SessionHost,
  complete: (joined: InFlightCallback) => Promise<CallbackResult>,
): Promise<CallbackResult> | undefined {
  for (const entry of inFlight.values()) {
    if (entry.clientId === clientId && entry.generation === entry.host.state.generation) return joinOrShare(entry, host, complete);
  }
  return undefined;
}

/** Forgets every callback in flight, as a new page load would: for test worlds that share one JavaScript realm. */
export function forgetCallbacksInFlight(): void {
  inFlight.clear();
}
