import type { CozeAuthLocale } from './types.js';

/**
 * The table for a BCP 47 language tag: every Chinese tag (`zh`, `zh-CN`, `zh-Hans`, and also
 * `zh-TW`, `zh-HK`, `zh-Hant`, for which Simplified Chinese is the closest text shipped) gets
 * `zh-CN`; every English tag gets `en`; anything else `undefined`.
 */
export function matchLocale(tag: string | null | undefined): CozeAuthLocale | undefined {
  if (!tag) return undefined;
  const language = tag.toLowerCase().split(/[-_]/)[0];
  return language === 'zh' ? 'zh-CN' : language === 'en' ? 'en' : undefined;
}

/** The table for `tag`, `en` when there is none. */
export function resolveLocale(tag: string | null | undefined): CozeAuthLocale {
  return matchLocale(tag) ?? 'en';
}

/** The first of the browser's preferred languages with a table (`navigator.languages`), else `en`; `en` on a server. */
export function browserLocale(): CozeAuthLocale {
  const nav = globalThis.navigator as Navigator | undefined;
  const tags = nav?.languages?.length ? nav.languages : [nav?.language];
  for (const tag of tags) {
    const locale = matchLocale(tag);
    if (locale) return locale;
  }
  return 'en';
}
