import { lazy, Suspense, type ReactNode } from 'react';
import type { AuthErrorNoticeProps } from './AuthErrorNotice.js';
import { ChunkBoundary, PlainNotice } from './ChunkBoundary.js';

// The notice and the error texts of every language load when an error is first shown: an app
// that never fails a sign-in never downloads them.
const Notice = lazy(() => import('./AuthErrorNotice.js').then((module) => ({ default: module.AuthErrorNotice })));

/** {@link AuthErrorNotice}, loaded on first use; a plain notice if that load fails. */
export function LazyAuthErrorNotice(props: AuthErrorNoticeProps): ReactNode {
  return (
    <ChunkBoundary fallback={<PlainNotice {...props} />}>
      <Suspense fallback={null}>
        <Notice {...props} />
      </Suspense>
    </ChunkBoundary>
  );
}
