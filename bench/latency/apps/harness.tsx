// What every latency app shares: its configuration (the same BENCH_CONFIG the behaviour apps
// get), the sign-in button's id, and the signed-in marker the Node side waits for. Production
// build, no StrictMode, no instrumentation inside the libraries: what a user of the app would get.
import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import type { BenchConfig } from '../../behaviour/apps/harness';
import { SIGNED_IN_ID } from './ids';

export { SIGN_IN_ID, SIGNED_IN_ID } from './ids';

export const config: BenchConfig = window.BENCH_CONFIG;
export const isCallback = location.pathname.endsWith('/callback');

/** Rendered when the library says the user is signed in; its appearance ends the callback timing. */
export function SignedIn({ when }: { when: boolean }): ReactNode {
  return when ? <output id={SIGNED_IN_ID}>signed in</output> : null;
}

export function mount(app: ReactNode): void {
  createRoot(document.getElementById('root')!).render(app);
}
