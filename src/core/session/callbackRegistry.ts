import type { SessionHost } from './CozeSession.js';
import type { CallbackResult } from './types.js';

// One in-flight callback per client and state in this page. React StrictMode runs effects twice,
// two <CozeCallback>s may mount, and a component may remount mid-exchange: each gets the same
// promise, so a code is exchanged exactly once. Another session of the same client (a provider
// remounted with a new session, or a second provider) joins it instead, once: its join waits for
// the exchange, then takes the sign-in it made. Settled entries are dropped: by then the pending
// sign-in is consumed, and a later replay of the URL is answered from the session's state.

/** A callback a session of this page is completing, as another session joins it. */
export interface InFlightCallback {
  readonly url: string;
  readonly state: string;
  /** The host of the session completing it: its state says what the exchange signed in. */
  readonly host: SessionHost;
  readonly promise: Promise<CallbackResult>;
}

interface Entry extends InFlightCallback {
  readonly clientId: string;
  readonly joins: WeakMap<object, Promise<CallbackResult>>;
}

const inFlight = new Map<string, Entry>();

function joinOnce(entry: Entry, host: object, complete: (joined: InFlightCallback) => Promise<CallbackResult>): Promise<CallbackResult> {
  if (entry.host === host) return entry.promise;
  let joined = entry.joins.get(host);
  if (!joined) entry.joins.set(host, (joined = complete(entry)));
  return joined;
}

/**
 * Completes callback `state` of `url` once per page: the promise in flight if this session
 * started it, this session's one join of another's (`complete(joined)`), or a new one (`complete()`).
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
  if (existing) return joinOnce(existing, host, complete);
  const promise = complete();
  inFlight.set(key, { clientId, url, state, host, promise, joins: new WeakMap() });
  const forget = () => inFlight.delete(key);
  promise.then(forget, forget);
  return promise;
}

/** This session's join of a callback of `clientId` that another session of this page is completing, if any. */
export function joinCallbackInFlight(
  clientId: string,
  host: SessionHost,
  complete: (joined: InFlightCallback) => Promise<CallbackResult>,
): Promise<CallbackResult> | undefined {
  for (const entry of inFlight.values()) if (entry.clientId === clientId) return joinOnce(entry, host, complete);
  return undefined;
}

/** Forgets every callback in flight, as a new page load would: for test worlds that share one JavaScript realm. */
export function forgetCallbacksInFlight(): void {
  inFlight.clear();
}
