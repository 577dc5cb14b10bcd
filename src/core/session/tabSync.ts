import { noLocks, type TabLocks } from '../browser/lock.js';
import type { TabChannel, TabMessage } from '../browser/tabChannel.js';

/** How a wait for another tab's refresh ended. */
export type OtherTabOutcome =
  | { kind: 'changed' }
  /** The holder went away (or released) without a hand-over reaching this tab: try again. */
  | { kind: 'free' }
  /** The holder failed transiently and retries at `retryAt`. */
  | { kind: 'backoff'; retryAt: number };

/**
 * The tab side of refreshing: which tab spends a rotation (a lock per rotation, held by the
 * spender until it spends the next), and the channel that hands rotated tokens over. It keeps no
 * tokens; the session decides what a message means for its state.
 */
export class TabSync {
  readonly #channel: TabChannel | undefined;
  readonly #locks: TabLocks;
  readonly #prefix: string;
  readonly #backoffWaiters = new Set<(message: Extract<TabMessage, { type: 'backoff' }>) => void>();
  #held: { name: string; release: () => void } | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(channel: TabChannel | undefined, locks: TabLocks = noLocks, lockPrefix: string) {
    this.#channel = channel;
    this.#locks = locks;
    this.#prefix = lockPrefix;
  }

  start(onMessage: (message: TabMessage) => void): void {
    this.#unsubscribe ??= this.#channel?.subscribe((message) => {
      if (message.type === 'backoff') for (const waiter of [...this.#backoffWaiters]) waiter(message);
      onMessage(message);
    });
  }

  /**
   * Stops listening and lets go of the rotation lock — unless a refresh is still on the wire
   * (`keepRotation`): another tab must not spend the same token before its answer lands.
   */
  stop({ keepRotation = false }: { keepRotation?: boolean } = {}): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (!keepRotation) this.releaseRotation();
  }

  /** False when no channel can carry rotated tokens to other tabs (no BroadcastChannel). */
  get canHandOver(): boolean {
    return this.#channel?.connected !== false && this.#channel !== undefined;
  }

  post(message: TabMessage): void {
    this.#channel?.post(message);
  }

  #lockName(sessionId: string, rotation: number): string {
    return `${this.#prefix}.${sessionId}.${rotation}`;
  }

  /**
   * Claims the right to spend `rotation` of `sessionId`'s refresh token: `true` when this tab
   * holds it (now or already), else the rotation another tab claimed (this one or a later one:
   * then this tab's copy is older than what was already spent). A claim is kept after the
   * refresh, so a tab still holding the spent token can tell, and released when the next is claimed.
   */
  async claimRotation(sessionId: string, rotation: number): Promise<true | number> {
    const name = this.#lockName(sessionId, rotation);
    if (this.#held?.name === name) return true;
    const claimed = await this.#newestClaimedElsewhere(sessionId);
    if (claimed !== undefined && claimed >= rotation) return claimed;
    const release = await this.#locks.tryHold(name);
    if (!release) return rotation;
    this.releaseRotation();
    this.#held = { name, release };
    return true;
  }

  async #newestClaimedElsewhere(sessionId: string): Promise<number | undefined> {
    const prefix = `${this.#prefix}.${sessionId}.`;
    const rotations = (await this.#locks.heldNames())
      .filter((name) => name.startsWith(prefix) && name !== this.#held?.name)
      .map((name) => Number(name.slice(prefix.length)))
      .filter(Number.isFinite);
    return rotations.length > 0 ? Math.max(...rotations) : undefined;
  }

  releaseRotation(): void {
    this.#held?.release();
    this.#held = undefined;
  }

  /**
   * Waits while another tab spends `rotation`: until `changed` settles (this tab's state moved
   * on: tokens handed over, signed out), the holder reports a backoff, or its lock comes free.
   */
  waitForOtherTab(sessionId: string, rotation: number, changed: Promise<void>): Promise<OtherTabOutcome> {
    return new Promise((resolve) => {
      const onBackoff = (message: Extract<TabMessage, { type: 'backoff' }>) => {
        if (message.sessionId !== sessionId || message.rotation !== rotation) return;
        this.#backoffWaiters.delete(onBackoff);
        resolve({ kind: 'backoff', retryAt: message.retryAt });
      };
      this.#backoffWaiters.add(onBackoff);
      const settle = (outcome: OtherTabOutcome) => {
        this.#backoffWaiters.delete(onBackoff);
        resolve(outcome);
      };
      void changed.then(() => settle({ kind: 'changed' }));
      void this.#locks.whenFree(this.#lockName(sessionId, rotation)).then(() => settle({ kind: 'free' }));
      // The hand-over may have been sent before this tab listened (it was loading, or duplicated).
      this.post({ type: 'sync-request', sessionId, rotation });
    });
  }
}
