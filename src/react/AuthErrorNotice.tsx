import { useState, type ReactNode } from 'react';
import type { CozeAuthError } from '../core/errors.js';
import { useCozeMessages } from './i18n/context.js';
import { describeCozeAuthError } from './i18n/describeCozeAuthError.js';

/** Props of {@link AuthErrorNotice}. */
export interface AuthErrorNoticeProps {
  error: CozeAuthError;
  /** Starts a fresh sign-in. */
  login(): Promise<void>;
}

/**
 * The default error UI of `<CozeCallback>` and `<RequireCozeAuth>`: an alert with what happened
 * in the provider's language (`describeCozeAuthError`), Coze's log id when there is one, and a
 * "Try again" button that starts a fresh sign-in.
 */
export function AuthErrorNotice({ error, login }: AuthErrorNoticeProps): ReactNode {
  const [pending, setPending] = useState(false);
  const { locale, overrides } = useCozeMessages();
  const text = describeCozeAuthError(error, locale, overrides);
  return (
    <div role="alert" lang={text.lang} data-error-code={error.code}>
      <p>{text.description}</p>
      {text.logId ? <p>{text.logId}</p> : null}
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          setPending(true);
          login().catch(() => setPending(false));
        }}
      >
        {text.action}
      </button>
    </div>
  );
}
