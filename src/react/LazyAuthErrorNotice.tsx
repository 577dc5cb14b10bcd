import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { AuthErrorNoticeProps } from './AuthErrorNotice.js';
import { useCozeMessages } from './i18n/context.js';

// The notice and the error texts of every language load when an error is first shown: an app
// that never fails a sign-in never downloads them.
const Notice = lazy(() => import('./AuthErrorNotice.js').then((module) => ({ default: module.AuthErrorNotice })));

/** Shown when the notice's own chunk cannot load (offline, a redeploy): never a blank page. */
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

class NoticeBoundary extends Component<AuthErrorNoticeProps & { children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render(): ReactNode {
    return this.state.failed ? <PlainNotice error={this.props.error} login={this.props.login} /> : this.props.children;
  }
}

/** {@link AuthErrorNotice}, loaded on first use; a plain notice if that load fails. */
export function LazyAuthErrorNotice(props: AuthErrorNoticeProps): ReactNode {
  return (
    <NoticeBoundary {...props}>
      <Suspense fallback={null}>
        <Notice {...props} />
      </Suspense>
    </NoticeBoundary>
  );
}
