import { lazy, Suspense, type ReactNode } from 'react';
import type { AuthErrorNoticeProps } from './AuthErrorNotice.js';

// The notice and the error texts of every language load when an error is first shown: an app
// that never fails a sign-in never downloads them.
const Notice = lazy(() => import('./AuthErrorNotice.js').then((module) => ({ default: module.AuthErrorNotice })));

/** {@link AuthErrorNotice}, loaded on first use. */
export function LazyAuthErrorNotice(props: AuthErrorNoticeProps): ReactNode {
  return (
    <Suspense fallback={null}>
      <Notice {...props} />
    </Suspense>
  );
}
