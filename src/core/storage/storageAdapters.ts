/**
 * A synchronous key/value store for tokens. `window.localStorage` and `window.sessionStorage`
 * already fit; a custom adapter (encrypted, cookie-backed, native bridge) implements the same three
 * methods. Synchronous so the first render already knows whether the user is signed in.
 */
export interface TokenStorageAdapter {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /**
   * True when every tab of the origin sees the same data (like localStorage). Tabs then take a
   * Web Lock around refresh and broadcast changes, so rotating refresh tokens are spent once.
   */
  readonly sharedAcrossTabs?: boolean;
}

/**
 * Where tokens are kept: a built-in mode or your own {@link TokenStorageAdapter}. `'worker'` keeps
 * the refresh token in a SharedWorker (the token vault) that every tab shares and no page script
 * can read; the page holds only the access token, in memory.
 */
export type TokenStorageOption = 'sessionStorage' | 'localStorage' | 'memory' | 'worker' | TokenStorageAdapter;

/** A storage adapter that forgets everything on reload. */
export function createMemoryStorage(): TokenStorageAdapter {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    sharedAcrossTabs: false,
  };
}

/** The named web storage if it exists and accepts writes (not in SSR or some privacy modes). */
export function webStorage(name: 'sessionStorage' | 'localStorage'): Storage | undefined {
  try {
    // Accessing the property throws in some privacy modes and is absent during SSR.
    const storage = (globalThis as Partial<Record<typeof name, Storage>>)[name];
    if (!storage) return undefined;
    const probe = 'coze-auth.probe';
    storage.setItem(probe, probe);
    storage.removeItem(probe);
    return storage;
  } catch {
    return undefined;
  }
}

/** Turns a {@link TokenStorageOption} into an adapter; falls back to memory where web storage is unusable. */
export function resolveTokenStorage(option: TokenStorageOption = 'sessionStorage'): TokenStorageAdapter {
  if (typeof option === 'object') return option;
  // Worker mode keeps page-safe tokens (no refresh token) in memory; the vault holds the rest.
  if (option === 'memory' || option === 'worker') return createMemoryStorage();
  const storage = webStorage(option);
  if (!storage) return createMemoryStorage();
  return {
    getItem: (key) => storage.getItem(key),
    setItem: (key, value) => storage.setItem(key, value),
    removeItem: (key) => storage.removeItem(key),
    sharedAcrossTabs: option === 'localStorage',
  };
}
