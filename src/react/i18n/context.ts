import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import { en } from './messages.en.js';
import { uiMessages } from './messages.js';
import { browserLocale, resolveLocale } from './resolveLocale.js';
import type { CozeAuthLocale, CozeAuthMessageOverrides, CozeAuthUiMessages } from './types.js';

/** The language the provider's components speak, as {@link useCozeMessages} returns it. */
export interface CozeMessagesValue {
  /** The table in use: the provider's `locale`, else the browser's language (`en` on a server and while hydrating). */
  locale: CozeAuthLocale;
  /** The components' own text: the table with the provider's `messages` applied. */
  messages: CozeAuthUiMessages;
  /** The provider's `messages` prop, to pass on to `describeCozeAuthError` for the error texts. */
  overrides: CozeAuthMessageOverrides | undefined;
}

export const CozeMessagesContext = createContext<CozeMessagesValue>({ locale: 'en', messages: en, overrides: undefined });

/**
 * The language and text of the surrounding `<CozeAuthProvider>` (English outside one). Use it to
 * match your own UI to the library's: `describeCozeAuthError(error, locale, overrides)` gives the
 * texts its default error notice shows.
 */
export function useCozeMessages(): CozeMessagesValue {
  return useContext(CozeMessagesContext);
}

function subscribe(onChange: () => void): () => void {
  globalThis.addEventListener?.('languagechange', onChange);
  return () => globalThis.removeEventListener?.('languagechange', onChange);
}

const serverLocale = (): CozeAuthLocale => 'en';

/**
 * The provider's {@link CozeMessagesValue}. Without a `locale` it follows the browser, read with
 * `useSyncExternalStore`: a server and the hydrating render say `en` (so the markup agrees), then
 * React re-renders in the browser's language; a client-only app renders it from the first frame.
 */
export function useMessagesValue(locale: string | undefined, overrides: CozeAuthMessageOverrides | undefined): CozeMessagesValue {
  const detected = useSyncExternalStore(subscribe, browserLocale, serverLocale);
  const resolved = locale ? resolveLocale(locale) : detected;
  return useMemo(() => ({ locale: resolved, messages: uiMessages(resolved, overrides), overrides }), [resolved, overrides]);
}
