// One in-flight (or settled) callback per client and state, for the life of the page. React
// StrictMode runs effects twice, two <CozeCallback>s may mount, and a remount may happen mid-exchange:
// each of them gets this same promise, so a code is exchanged exactly once.
const callbacks = new Map<string, Promise<unknown>>();

/** Returns the promise already registered for `key`, or registers and returns `start()`'s. */
export function runOncePerCallback<T>(key: string, start: () => Promise<T>): Promise<T> {
  const existing = callbacks.get(key) as Promise<T> | undefined;
  if (existing) return existing;
  const promise = start();
  callbacks.set(key, promise);
  return promise;
}
