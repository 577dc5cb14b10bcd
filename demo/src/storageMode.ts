import type { TokenStorageOption } from 'react-coze-auth';

/** The built-in storage modes the demo can switch between (see the README's mode comparison). */
export const STORAGE_MODES = ['sessionStorage', 'localStorage', 'memory', 'worker'] as const satisfies readonly TokenStorageOption[];
export type StorageMode = (typeof STORAGE_MODES)[number];

// A UI preference, not a secret: it must survive the round trip to Coze and a reload, in every tab.
const PREFERENCE_KEY = 'demo.tokenStorage';

/** `?storage=` of this page load (then remembered), else the remembered choice, else the library default. */
export function readStorageMode(): StorageMode {
  const fromUrl = new URLSearchParams(window.location.search).get('storage');
  const chosen = STORAGE_MODES.find((mode) => mode === fromUrl);
  if (chosen) {
    localStorage.setItem(PREFERENCE_KEY, chosen);
    return chosen;
  }
  return STORAGE_MODES.find((mode) => mode === localStorage.getItem(PREFERENCE_KEY)) ?? 'sessionStorage';
}

/**
 * Switches mode. The provider reads its options once, so the page reloads; the old mode's
 * session is left where it was (switching back finds it again, unless the browser dropped it).
 */
export function switchStorageMode(mode: StorageMode): void {
  localStorage.setItem(PREFERENCE_KEY, mode);
  window.location.assign('/');
}
