import { useState, type ReactNode } from 'react';
import type { CozeAuthError } from '../core/errors.js';

/** Props of {@link AuthErrorNotice}. */
export interface AuthErrorNoticeProps {
  error: CozeAuthError;
  /** Starts a fresh sign-in. */
  login(): Promise<void>;
}

/**
 * The default error UI of `<CozeCallback>` and `<RequireCozeAuth>`: an alert with the message,
 * Coze's log id when there is one, and a "Try again" button that starts a fresh sign-in.
 */
export function AuthErrorNotice({ error, login }: AuthErrorNoticeProps): ReactNode {
  const [pending, setPending] = useState(false);
  return (
    <div role="alert" data-error-code={error.code}>
      <p>{error.message}</p>
      {error.logid ? <p>Coze log id: {error.logid}</p> : null}
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          setPending(true);
          login().catch(() => setPending(false));
        }}
      >
        Try again
      </button>
    </div>
  );
}
