import { Component, type ReactNode } from 'react';
import type { AuthErrorNoticeProps } from './AuthErrorNotice.js';
import { useCozeMessages } from './i18n/context.js';

/** Shows `fallback` when a lazily loaded part cannot load (offline, a redeploy): never a blank page. */
export class ChunkBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** The plainest notice for `error`, from the initial chunk alone, for when the real one cannot load. */
export function PlainNotice({ error, login }: AuthErrorNoticeProps): ReactNode {
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
