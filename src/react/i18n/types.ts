import type { CozeAuthErrorCode } from '../../core/errors.js';

/** The languages react-coze-auth ships text for. Any other language tag falls back to `en`. */
export type CozeAuthLocale = 'en' | 'zh-CN';

/** The text the components render themselves (labels, status lines, the error notice's chrome). */
export interface CozeAuthUiMessages {
  /** BCP 47 tag put in the `lang` attribute of the components' own text (`en`, `zh-CN`). */
  lang: string;
  /** `<CozeLoginButton>` label. */
  signIn: string;
  /** `<CozeLoginButton>` label while leaving for Coze. */
  redirecting: string;
  /** `<CozeCallback>` while the code is exchanged, and `<RequireCozeAuth>`'s fallback. */
  signingIn: string;
  /** The error notice's recovery button (starts a fresh sign-in). */
  tryAgain: string;
  /** The error notice's support line; `{logid}` is replaced with Coze's log id. */
  logId: string;
}

/** What a user is told about one {@link CozeAuthErrorCode}. */
export interface CozeAuthErrorText {
  /** A short heading. */
  title: string;
  /** One or two sentences: what happened and what to do. */
  description: string;
}

/** Every error's text, one entry per {@link CozeAuthErrorCode}. */
export type CozeAuthErrorMessages = Record<CozeAuthErrorCode, CozeAuthErrorText>;

/** A complete table of the text react-coze-auth shows users. */
export interface CozeAuthMessages extends CozeAuthUiMessages {
  errors: CozeAuthErrorMessages;
}

/** Overrides for any string of a {@link CozeAuthMessages} table (the provider's `messages` prop). */
export interface CozeAuthMessageOverrides extends Partial<CozeAuthUiMessages> {
  errors?: { [Code in CozeAuthErrorCode]?: Partial<CozeAuthErrorText> };
}
