/** Why the page may have missed time. */
export type WakeReason = 'visible' | 'focus' | 'online';

/**
 * Calls `onWake` when the page may have missed time: it became visible, regained focus, or came
 * back online. Timers are throttled in background tabs and frozen during sleep, so the session
 * never relies on a long `setTimeout` alone.
 */
export function subscribeToWakeEvents(onWake: (reason: WakeReason) => void): () => void {
  const win = globalThis as typeof globalThis & Partial<Window>;
  const doc = win.document;
  if (!win.addEventListener) return () => undefined;
  const onVisibility = () => {
    if (doc?.visibilityState === 'visible') onWake('visible');
  };
  const onFocus = () => onWake('focus');
  const onOnline = () => onWake('online');
  doc?.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('focus', onFocus);
  win.addEventListener('online', onOnline);
  return () => {
    doc?.removeEventListener('visibilitychange', onVisibility);
    win.removeEventListener?.('focus', onFocus);
    win.removeEventListener?.('online', onOnline);
  };
}
