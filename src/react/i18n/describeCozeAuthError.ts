import type { CozeAuthErrorCode } from '../../core/errors.js';
import { enErrors } from './errors.en.js';
import { zhCNErrors } from './errors.zhCN.js';
import { uiMessages, withOverrides } from './messages.js';
import { browserLocale, resolveLocale } from './resolveLocale.js';
import type { CozeAuthErrorText, CozeAuthMessageOverrides } from './types.js';

/** What to tell a user about an error, in their language: see {@link describeCozeAuthError}. */
export interface CozeAuthErrorDescription extends CozeAuthErrorText {
  /** The recovery button's label ("Try again"); its action is a fresh sign-in (`login()`). */
  action: string;
  /** "Coze log id: …" for support, when the error carries Coze's log id. */
  logId: string | undefined;
  /** The BCP 47 tag of this text, for a `lang` attribute. */
  lang: string;
}

/**
 * A user-facing title, description and recovery label for a `CozeAuthError`, for apps that
 * render their own error UI. `error.message` stays English, for developers and logs.
 *
 * @param locale a language tag: `zh*` gives Simplified Chinese, anything else English. Default:
 *   the browser's languages (`en` on a server). Inside the provider pass `useCozeMessages().locale`.
 * @param messages the same overrides as the provider's `messages` prop (`useCozeMessages().overrides`).
 */
export function describeCozeAuthError(
  error: { code: CozeAuthErrorCode; logid?: string | undefined },
  locale?: string,
  messages?: CozeAuthMessageOverrides,
): CozeAuthErrorDescription {
  const resolved = locale ? resolveLocale(locale) : browserLocale();
  const ui = uiMessages(resolved, messages);
  const errors = resolved === 'zh-CN' ? zhCNErrors : enErrors;
  // An unknown code (a newer library behind an older table, or not a CozeAuthError at all) reads as
  // the generic sign-in failure, with the app's own wording for it. Own keys only: a code such as
  // `constructor` must not find Object.prototype's.
  const code: CozeAuthErrorCode = Object.prototype.hasOwnProperty.call(errors, error.code) ? error.code : 'authorization_error';
  const override = messages?.errors && Object.prototype.hasOwnProperty.call(messages.errors, code) ? messages.errors[code] : undefined;
  const text = withOverrides(errors[code], override);
  return {
    title: text.title,
    description: text.description,
    action: ui.tryAgain,
    logId: error.logid ? ui.logId.replace('{logid}', error.logid) : undefined,
    lang: ui.lang,
  };
}
