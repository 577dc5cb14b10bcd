import type { TabLocks } from '../core/browser/lock.js';

/**
 * In-memory {@link TabLocks} for tests (jsdom and Node have no Web Locks): give the same instance
 * to several `CozeSession`s and they behave like tabs of one browser.
 */
export function createTestTabLocks(): TabLocks & { isHeld(name: string): boolean } {
  const held = new Set<string>();
  const waiters = new Map<string, (() => void)[]>();
  return {
    tryHold(name) {
      if (held.has(name)) return Promise.resolve(null);
      held.add(name);
      let released = false;
      return Promise.resolve(() => {
        if (released) return;
        released = true;
        held.delete(name);
        for (const wake of waiters.get(name)?.splice(0) ?? []) wake();
      });
    },
    whenFree(name) {
      if (!held.has(name)) return Promise.resolve();
      return new Promise((resolve) => {
        const list = waiters.get(name) ?? [];
        list.push(resolve);
        waiters.set(name, list);
      });
    },
    heldNames: () => Promise.resolve([...held]),
    isHeld: (name) => held.has(name),
  };
}
