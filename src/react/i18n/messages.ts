import { en } from './messages.en.js';
import { zhCN } from './messages.zhCN.js';
import type { CozeAuthLocale, CozeAuthUiMessages } from './types.js';

const TABLES: Record<CozeAuthLocale, CozeAuthUiMessages> = { en, 'zh-CN': zhCN };

/** `base` with every key of `overrides` that `base` has and that is not `undefined` replaced. */
export function withOverrides<T extends object>(base: T, overrides: Partial<T> | undefined): T {
  const result = { ...base };
  for (const key in overrides) {
    if (key in base && overrides[key] !== undefined) result[key] = overrides[key] as T[typeof key];
  }
  return result;
}

/** The components' text for `locale`, with the app's overrides applied. */
export function uiMessages(locale: CozeAuthLocale, overrides: Partial<CozeAuthUiMessages> | undefined): CozeAuthUiMessages {
  return withOverrides(TABLES[locale], overrides);
}
