import type { Clock } from '../clock.js';
import { subscribeToWakeEvents, type WakeReason } from '../browser/wakeEvents.js';
import { MAX_TIMER_DELAY_MS } from './refreshPolicy.js';

/** Subscribes to the moments the page may have missed time; returns the unsubscribe function. */
export type WakeEventSource = (onWake: (reason: WakeReason) => void) => () => void;

/**
 * When the session looks at its tokens again: one timer (at most one plan at a time) and the
 * page's wake events. It decides nothing: the session tells it the next moment from the state,
 * after every transition. Runs only while started (between the session's mount and unmount).
 */
export class RefreshScheduler {
  readonly #clock: Clock;
  readonly #wakeEvents: WakeEventSource;
  #timer: unknown;
  #stopWake: (() => void) | undefined;

  constructor(clock: Clock, wakeEvents: WakeEventSource = subscribeToWakeEvents) {
    this.#clock = clock;
    this.#wakeEvents = wakeEvents;
  }

  get running(): boolean {
    return this.#stopWake !== undefined;
  }

  start(onWake: (reason: WakeReason) => void): void {
    this.#stopWake ??= this.#wakeEvents(onWake);
  }

  stop(): void {
    this.#stopWake?.();
    this.#stopWake = undefined;
    this.cancel();
  }

  /** Runs `run` at `atMs` (this clock), replacing any earlier plan. Ignored while stopped. */
  planAt(atMs: number, run: () => void): void {
    this.cancel();
    if (!this.running) return;
    const delay = Math.min(Math.max(0, atMs - this.#clock.now()), MAX_TIMER_DELAY_MS);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      run();
    }, delay);
  }

  cancel(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
