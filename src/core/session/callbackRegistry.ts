import type { SessionHost } from './CozeSession.js';
import type { CallbackResult } from './types.js';

// One in-flight callback per client and state in this page. React StrictMode runs effects twice,
// two <CozeCallback>s may mount, and a component may remount mid-exchange: each gets the same
// promise, so a code is exchanged exactly once. While a callback's sign-in is on the wire another
// session of the same client (a provider remounted with a new session, or a second provider) can
// join it, once: the join waits for the exchange, then ends as the starting session did. Settled
// entries are dropped (a later replay of the URL is answered from the session's state), except
// for a session built on the callback while its sign-in was pending, which may mount only later.

/** A sign-in another session of this page started from its callback, as a joining session sees it. */
export interface InFlightCallback {
  readonly url: string;
  readonly state: string;
  /** The host of the session that started it; its state says what the exchange signed in. */
  readonly host: SessionHost;
  /** The starting session's generation for this sign-in (none for a used URL: nothing to join). */
  readonly generation: number | undefined;
  readonly promise: Promise<CallbackResult>;
  /** The id of the sign-in it made, once answered (the starter's session id then). */
  readonly sessionId: string | undefined;
}

interface Entry extends InFlightCallback {
  sessionId: string | undefined;
  readonly clientId: string;
  /** Each joining session's join: its promise, the generation it joined at, whether it still waits. */
  readonly joins: WeakMap<SessionHost, Join>;
}

interface Join {
  readonly promise: Promise<CallbackResult>;
  readonly generation: number;
  waiting: boolean;
}

const inFlight = new Map<string, Entry>();
/** Every sign-in started from a callback of this page, answered or not: a session built on that callback may mount late. */
const started = new Map<string, Entry>();

const keyOf = (clientId: string, state: string) => `${clientId} ${state}`;

const joinable = (entry: Entry) => entry.generation === entry.host.state.generation;

function joinOnce(entry: Entry, host: SessionHost, complete: (joined: InFlightCallback) => Promise<CallbackResult>): Promise<CallbackResult> {
  let join = entry.joins.get(host);
  if (!join) {
    const joined: Join = { promise: complete(entry), generation: host.state.generation, waiting: true };
    const end = () => void (joined.waiting = false);
    joined.promise.then(end, end);
    entry.joins.set(host, (join = joined));
  }
  return join.promise;
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
  const key = keyOf(clientId, state);
  const existing = inFlight.get(key);
  if (existing?.host === host) return existing.promise;
  // Another session's: joined while it is that session's current sign-in; else this one's own answer.
  if (existing && joinable(existing)) return joinOnce(existing, host, complete);
  if (existing) return complete();
  // Built on this callback while it was pending and mounted after another session answered it.
  const late = started.get(key);
  if (late && late.host !== host && host.state.status === 'signing-in' && host.state.generation === 0) return joinOnce(late, host, complete);
  const before = host.state.generation;
  const promise = complete();
  // A pending sign-in moves the generation before anything is awaited; a used URL does not.
  const generation = host.state.generation !== before ? host.state.generation : undefined;
  const entry: Entry = { clientId, url, state, host, generation, promise, sessionId: undefined, joins: new WeakMap() };
  inFlight.set(key, entry);
  if (generation !== undefined) started.set(key, entry);
  const forget = () => inFlight.delete(key);
  promise.then(() => {
    forget();
    entry.sessionId = host.state.tokens?.sessionId;
  }, forget);
  return promise;
}

/** This session's join of a sign-in of `clientId` that another session of this page is completing, if any. */
export function joinCallbackInFlight(
  clientId: string,
  host: SessionHost,
  complete: (joined: InFlightCallback) => Promise<CallbackResult>,
): Promise<CallbackResult> | undefined {
  for (const entry of inFlight.values()) {
    if (entry.clientId === clientId && entry.host !== host && joinable(entry)) return joinOnce(entry, host, complete);
  }
  return undefined;
}

/** Callbacks a sign-out dropped before any session of this page started their sign-in. */
const dropped = new Set<string>();

/**
 * A session signs out: the sign-ins other sessions of this page started from a callback it was
 * built on (`state`, not handled yet) or that it joined end there too, as those sessions' own
 * logout() would end them, before their answers can be stored. A callback `state` nobody has
 * started is dropped for every session built on it.
 */
export function endCallbackSignIn(host: SessionHost, state: string | undefined): void {
  const { clientId } = host.config;
  const key = state === undefined ? undefined : keyOf(clientId, state);
  if (key !== undefined && !started.has(key)) dropped.add(key);
  for (const entry of started.values()) {
    if (entry.clientId !== clientId || entry.host === host || !joinable(entry) || entry.host.state.status === 'signed-out') continue;
    // It shares a sign-in it joined while the join waits (not superseded by a sign-in of its own),
    // and once answered if it holds it (taken, not refused).
    const join = entry.joins.get(host);
    const shares = join && (join.waiting ? join.generation === host.state.generation : host.state.tokens?.sessionId === entry.sessionId);
    if (entry.state === state || shares) entry.host.logout();
  }
}

/** Whether a sign-out dropped callback `state` of `clientId` before anyone started it. */
export function callbackDropped(clientId: string, state: string): boolean {
  return dropped.has(keyOf(clientId, state));
}

/** Forgets every callback, as a new page load would: for test worlds that share one JavaScript realm. */
export function forgetCallbacksInFlight(): void {
  inFlight.clear();
  started.clear();
  dropped.clear();
}
