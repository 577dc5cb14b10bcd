/** Messages tabs exchange. They carry no tokens: receivers re-read storage. */
export type TabMessage = { type: 'tokens-changed' } | { type: 'signed-out' };

/** A channel between the tabs of one origin for one client id. */
export interface TabChannel {
  post(message: TabMessage): void;
  /** Called for messages from other tabs, and for storage events on `storageKey`. */
  subscribe(listener: (message: TabMessage) => void): () => void;
}

function openChannel(name: string): BroadcastChannel | undefined {
  return typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
}

/**
 * BroadcastChannel for prompt delivery, plus the `storage` event as a fallback where
 * BroadcastChannel is missing. Receivers must be idempotent: one change may arrive both ways.
 * Channels are opened on subscribe and closed on unsubscribe, so an unmounted session holds none.
 */
export function createTabChannel(name: string, storageKey: string): TabChannel {
  const target = globalThis as typeof globalThis & Partial<Window>;
  let listening: BroadcastChannel | undefined;
  return {
    post(message) {
      if (listening) {
        listening.postMessage(message);
        return;
      }
      const once = openChannel(name);
      once?.postMessage(message);
      once?.close();
    },
    subscribe(listener) {
      const channel = openChannel(name);
      listening = channel;
      const onMessage = (event: MessageEvent<TabMessage>) => {
        if (event.data?.type === 'tokens-changed' || event.data?.type === 'signed-out') listener(event.data);
      };
      const onStorage = (event: StorageEvent) => {
        if (event.key === storageKey || event.key === null) {
          listener(event.newValue === null ? { type: 'signed-out' } : { type: 'tokens-changed' });
        }
      };
      channel?.addEventListener('message', onMessage);
      target.addEventListener?.('storage', onStorage);
      return () => {
        channel?.removeEventListener('message', onMessage);
        channel?.close();
        if (listening === channel) listening = undefined;
        target.removeEventListener?.('storage', onStorage);
      };
    },
  };
}
