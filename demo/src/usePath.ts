import { useSyncExternalStore } from 'react';

const subscribe = (onChange: () => void) => {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
};

/** The current pathname; `<CozeCallback>` announces its navigation with `popstate`, as routers expect. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}
