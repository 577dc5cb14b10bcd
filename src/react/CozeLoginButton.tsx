import { useEffect, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import type { CozeAuthError } from '../core/errors.js';
import { useCozeSession } from './context.js';
import { useCozeMessages } from './i18n/context.js';

/** Props of {@link CozeLoginButton}; any other button attribute (className, style, aria-*) passes through. */
export interface CozeLoginButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onClick' | 'type' | 'onError'> {
  /** Same-origin path to return to after sign-in. Default: the current page. */
  returnTo?: string;
  /** Label. Default: the provider's `signIn` message ("Sign in with Coze", 使用扣子登录). */
  children?: ReactNode;
  /** Label while leaving for Coze. Default: the `redirecting` message ("Redirecting to Coze…", 正在跳转到扣子…). */
  pendingChildren?: ReactNode;
  /** Called when sign-in cannot start (e.g. `unsafe_return_to`, `crypto_unavailable`). */
  onError?: (error: CozeAuthError) => void;
}

/**
 * A real `<button>` that starts sign-in. While leaving for Coze it is disabled, `aria-busy`, and
 * shows `pendingChildren`; if the browser comes back from its back/forward cache it is usable again.
 */
export function CozeLoginButton(props: CozeLoginButtonProps): ReactNode {
  const { returnTo, children, pendingChildren, onError, disabled, onPointerEnter, onFocus, ...rest } = props;
  const session = useCozeSession();
  const { messages } = useCozeMessages();
  const [pending, setPending] = useState(false);

  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) setPending(false);
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, []);

  const start = () => {
    setPending(true);
    session.login(returnTo === undefined ? {} : { returnTo }).catch((error: CozeAuthError) => {
      setPending(false);
      onError?.(error);
    });
  };

  const label = pending ? pendingChildren : children;
  return (
    <button
      type="button"
      // The library's own text says which language it is in; a label of yours is yours to mark.
      lang={label === undefined ? messages.lang : undefined}
      {...rest}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      data-state={pending ? 'pending' : 'idle'}
      // A hover or focus usually comes a few hundred ms before the click: enough to fetch the sign-in code.
      onPointerEnter={(event) => {
        session.prefetchSignIn();
        onPointerEnter?.(event);
      }}
      onFocus={(event) => {
        session.prefetchSignIn();
        onFocus?.(event);
      }}
      onClick={start}
    >
      {label === undefined ? (pending ? messages.redirecting : messages.signIn) : label}
    </button>
  );
}
