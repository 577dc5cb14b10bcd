import type { StoredTokens } from '../storage/tokenStore.js';

/**
 * Messages between tabs of one client id. `tokens` carries the rotated tokens themselves, so the
 * hand-over is exact: a tab never has to guess when another tab's storage write will reach it.
 */
export type TabMessage =
  | { type: 'tokens'; tokens: StoredTokens }
  | { type: 'signed-out'; sessionId: string | undefined }
  /** The tab spending `rotation` failed transiently and retries at `retryAt`. */
  | { type: 'backoff'; sessionId: string; rotation: number; retryAt: number }
  /** A tab (just loaded, or duplicated) asks whoever holds a newer rotation of `sessionId` to send it. */
  | { type: 'sync-request'; sessionId: string; rotation: number }
  /** Not sent: the storage event saying another tab changed the token record. */
  | { type: 'storage' };

const MESSAGE_TYPES = new Set(['tokens', 'signed-out', 'backoff', 'sync-request']);

/** A channel between the tabs of one origin for one client id. */
export interface TabChannel {
  /** False when messages cannot reach other tabs (no BroadcastChannel); storage events may still. Default true. */
  readonly connected?: boolean;
  post(message: TabMessage): void;
  /** Called for messages from other tabs, and with `{ type: 'storage' }` for storage events on `storageKey`. */
  subscribe(listener: (message: TabMessage) => void): () => void;
}

function openChannel(name: string): BroadcastChannel | undefined {
  try {
    return typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * BroadcastChannel for prompt delivery, plus the `storage` event where BroadcastChannel is
 * missing. Receivers must be idempotent: one change may arrive both ways. Channels are opened on
 * subscribe and closed on unsubscribe, so an unmounted session holds none.
 */
export function createTabChannel(name: string, storageKey: string): TabChannel {
  const target = globalThis as typeof globalThis & Partial<Window>;
  let listening: BroadcastChannel | undefined;
  return {
    get connected() {
      return typeof BroadcastChannel === 'function';
    },
    post(message) {
      const channel = listening ?? openChannel(name);
      try {
        channel?.postMessage(message);
      } catch {
        // A closing page or an uncloneable value: the storage event and re-reads still converge.
      }
      if (channel !== listening) channel?.close();
    },
    subscribe(listener) {
      const channel = openChannel(name);
      listening = channel;
      const onMessage = (event: MessageEvent<TabMessage>) => {
        if (MESSAGE_TYPES.has(event.data?.type)) listener(event.data);
      };
      const onStorage = (event: StorageEvent) => {
        if (event.key === storageKey || event.key === null) listener({ type: 'storage' });
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
