/**
 * Runs `task` while holding the named lock and releases it when the task settles. `contended` is
 * true when another holder had the lock first: its writes may still be on their way to this tab.
 */
export type LockRunner = <T>(name: string, task: (contended: boolean) => Promise<T>) => Promise<T>;

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

const CONTENDED = Symbol('contended');

/**
 * Cross-tab mutual exclusion through the Web Locks API. Where it is missing (very old browsers,
 * some webviews) the task runs unlocked and the session's re-read-after-failure check is the fallback.
 */
export const webLocks: LockRunner = async (name, task) => {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (!locks) return task(false);
  const uncontended = await locks.request<{ value: Awaited<ReturnType<typeof task>> } | typeof CONTENDED>(
    name,
    { ifAvailable: true },
    async (lock) => (lock ? { value: await task(false) } : CONTENDED),
  );
  return uncontended === CONTENDED ? locks.request(name, () => task(true)) : uncontended.value;
};

/** A lock runner that does not lock: for storage that no other tab can see. */
export const noLock: LockRunner = (_name, task) => task(false);
