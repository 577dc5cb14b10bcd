/**
 * Cross-tab locks, one per rotation of a refresh token: the tab that spends a refresh token holds
 * its lock until it spends the next one (or the page goes away). Web Locks are granted by the
 * browser process, so "is this rotation taken?" has one answer for every tab at once, however
 * late storage writes or channel messages arrive. No timing guess is involved.
 */
export interface TabLocks {
  /** Takes `name` when free and holds it until the returned release is called; `null` when another holder has it. */
  tryHold(name: string): Promise<(() => void) | null>;
  /** Resolves once `name` is free (its holder released it or closed). */
  whenFree(name: string): Promise<void>;
  /** Names of the locks held right now, by any tab. */
  heldNames(): Promise<string[]>;
}

interface LockManagerLike {
  query(): Promise<{ held?: { name?: string }[] }>;
  request<T>(name: string, callback: () => Promise<T> | T): Promise<T>;
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T> | T): Promise<T>;
}

function lockManager(): LockManagerLike | undefined {
  try {
    return (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  } catch {
    return undefined;
  }
}

const release = () => undefined;

/** Where locks are missing or refused (opaque origins, sandboxed frames): every hold succeeds, as in a single tab. */
export const noLocks: TabLocks = {
  tryHold: () => Promise.resolve(release),
  whenFree: () => Promise.resolve(),
  heldNames: () => Promise.resolve([]),
};

/**
 * Web Locks. Missing (old browsers, some webviews) or refused (a SecurityError in opaque origins)
 * they degrade to {@link noLocks}: the session then relies on re-reading storage after an
 * `invalid_grant`, and never surfaces the browser's raw exception.
 */
export const webLocks: TabLocks = {
  tryHold(name) {
    const locks = lockManager();
    if (!locks) return noLocks.tryHold(name);
    return new Promise((resolve) => {
      locks
        .request(name, { ifAvailable: true }, (lock) => {
          if (!lock) return resolve(null);
          return new Promise<void>((done) => resolve(done));
        })
        .catch(() => resolve(release));
    });
  },
  whenFree(name) {
    const locks = lockManager();
    if (!locks) return noLocks.whenFree(name);
    return locks.request(name, () => undefined).catch(() => undefined);
  },
  async heldNames() {
    try {
      const snapshot = await lockManager()?.query();
      return (snapshot?.held ?? []).flatMap((lock) => (lock.name ? [lock.name] : []));
    } catch {
      return [];
    }
  },
};
