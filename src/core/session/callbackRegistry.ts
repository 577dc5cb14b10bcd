// One in-flight callback per client and state. React StrictMode runs effects twice, two
// <CozeCallback>s may mount, and a component may remount mid-exchange: each gets this same promise,
// so a code is exchanged exactly once. Settled entries are dropped: by then the pending sign-in
// is consumed, and a later replay of the URL is answered from the session's state instead.
const inFlight = new Map<string, Promise<unknown>>();

/** Returns the promise in flight for `key`, or starts one with `start()` and tracks it until it settles. */
export function runOncePerCallback<T>(key: string, start: () => Promise<T>): Promise<T> {
  const existing = inFlight.get(key) as Promise<T> | undefined;
  if (existing) return existing;
  const promise = start();
  inFlight.set(key, promise);
  const forget = () => inFlight.delete(key);
  promise.then(forget, forget);
  return promise;
}
