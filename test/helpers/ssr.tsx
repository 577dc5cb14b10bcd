import { JSDOM } from 'jsdom';
import { act, type ReactNode } from 'react';
import { vi } from 'vitest';
import { createMemoryStorage } from '../../src/core/storage/storageAdapters';

// Server rendering tests: markup from renderToString, hydrated in a fresh jsdom window.

/** Token storage holding a signed-in session of `clientId` (fake tokens: nothing is sent). */
export function signedInStorage(clientId: string) {
  const storage = createMemoryStorage();
  const now = Date.now();
  storage.setItem(
    `coze-auth.tokens.${clientId}`,
    JSON.stringify({ accessToken: 'at', refreshToken: 'rt', expiresAt: now + 900_000, obtainedAt: now, tokenType: 'Bearer', sessionId: 's1' }),
  );
  return storage;
}

/** Hydrates `html` in a fresh jsdom window, returns what React reported and the final markup. */
export async function hydrate(html: string, app: ReactNode, { languages }: { languages?: string[] } = {}) {
  const dom = new JSDOM(`<!doctype html><html><body><div id="root">${html}</div></body></html>`, { url: 'http://localhost/' });
  const { window: win } = dom;
  if (languages) Object.defineProperty(win.navigator, 'languages', { value: languages, configurable: true });
  const globals = { window: win, document: win.document, navigator: win.navigator, location: win.location, history: win.history, PopStateEvent: win.PopStateEvent };
  for (const [name, value] of Object.entries(globals)) vi.stubGlobal(name, value);
  vi.stubGlobal('IS_REACT_ACT_ENVIRONMENT', true);
  const consoleErrors: unknown[] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void consoleErrors.push(args));
  const recoverable: unknown[] = [];
  const { hydrateRoot } = await import('react-dom/client');
  const container = dom.window.document.getElementById('root')!;
  const root = await act(async () =>
    hydrateRoot(container, app, { onRecoverableError: (error) => void recoverable.push(error) }),
  );
  const text = container.textContent ?? '';
  const markup = container.innerHTML;
  await act(async () => root.unmount());
  return { recoverable, consoleErrors, text, markup };
}

