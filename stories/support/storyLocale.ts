import { enErrors } from '../../src/react/i18n/errors.en';
import { zhCNErrors } from '../../src/react/i18n/errors.zhCN';
import { en } from '../../src/react/i18n/messages.en';
import { zhCN } from '../../src/react/i18n/messages.zhCN';
import { browserLocale, resolveLocale } from '../../src/react/i18n/resolveLocale';
import type { CozeAuthLocale, CozeAuthMessages } from '../../src/react/i18n/types';

/** The provider `locale` for the toolbar's Language global: `auto` means none (follow the browser). */
export function storyLocale(globals: Record<string, unknown>): string | undefined {
  const value = globals.locale;
  return typeof value === 'string' && value !== 'auto' ? value : undefined;
}

const TABLES: Record<CozeAuthLocale, CozeAuthMessages> = {
  en: { ...en, errors: enErrors },
  'zh-CN': { ...zhCN, errors: zhCNErrors },
};

/** The library's text a story shows under the toolbar's Language: play functions look for these. */
export function storyMessages(globals: Record<string, unknown>): CozeAuthMessages {
  const locale = storyLocale(globals);
  return TABLES[locale ? resolveLocale(locale) : browserLocale()];
}
