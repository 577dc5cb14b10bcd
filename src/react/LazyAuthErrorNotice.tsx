import { useEffect, useState, type ReactNode } from 'react';
import type { AuthErrorNoticeProps } from './AuthErrorNotice.js';
import { useCozeMessages } from './i18n/context.js';

// The notice and the error texts of every language load when an error is first shown: an app
// that never fails a sign-in never downloads them.
let loaded: ((props: AuthErrorNoticeProps) => ReactNode) | undefined;

/** The plainest notice, from the initial chunk alone, for when the real one cannot load. */
function PlainNotice({ error, login }: AuthErrorNoticeProps): ReactNode {
  const { messages } = useCozeMessages();
  return (
    <div role="alert" data-error-code={error.code}>
      <p>{error.message}</p>
      <button type="button" lang={messages.lang} onClick={() => void login().catch(() => undefined)}>
        {messages.tryAgain}
      </button>
    </div>
  );
}

/**
 * {@link AuthErrorNotice}, loaded on first use; a plain notice if that load fails (offline, a
 * redeploy). Nothing shows while it loads: the plain notice's `error.message` is English for
 * developers, and one alert is announced, not two.
 */
export function LazyAuthErrorNotice(props: AuthErrorNoticeProps): ReactNode {
  const [Notice, setNotice] = useState(() => loaded);
  useEffect(() => {
    if (Notice) return;
    let active = true;
    import('./AuthErrorNotice.js').then(
      (module) => {
        loaded = module.AuthErrorNotice;
        if (active) setNotice(() => loaded);
      },
      () => active && setNotice(() => PlainNotice),
    );
    return () => {
      active = false;
    };
  }, [Notice]);
  return Notice ? <Notice {...props} /> : null;
}
