import { webStorage } from './storageAdapters.js';

// Only the sign-in flow needs this, so it lives apart from the token storage adapters and stays
// out of the initial bundle.

/** The sessionStorage that holds pending sign-ins (PKCE verifier + state), or memory when absent. */
export function resolveTransactionStorage(): Storage {
  return webStorage('sessionStorage') ?? createMemoryWebStorage();
}

function createMemoryWebStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}
