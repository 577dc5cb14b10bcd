/** Runs `task` while holding the named lock; implementations must release on settle. */
export type LockRunner = <T>(name: string, task: () => Promise<T>) => Promise<T>;

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * Cross-tab mutual exclusion through the Web Locks API. Where it is missing (very old browsers,
 * some webviews) the task runs unlocked and the session's re-read-after-failure check is the fallback.
 */
export const webLocks: LockRunner = (name, task) => {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  return locks ? locks.request(name, task) : task();
};

/** A lock runner that does not lock: for storage that no other tab can see. */
export const noLock: LockRunner = (_name, task) => task();
