'use client';

import dynamic from 'next/dynamic';

// <CozeCallback> reads window.location while rendering, so it cannot be prerendered or rendered on
// the server ("ReferenceError: window is not defined" at `next build`). A callback URL has nothing
// worth server-rendering anyway: load it in the browser only.
export const Callback = dynamic(() => import('react-coze-auth').then((module) => module.CozeCallback), {
  ssr: false,
  loading: () => (
    <p role="status" aria-live="polite">
      Signing you in…
    </p>
  ),
});
