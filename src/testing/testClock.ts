import type { Clock } from '../core/clock.js';

/** A {@link Clock} that moves only when told to; timers fire during {@link TestClock.advance}. */
export interface TestClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order and letting their promises settle. */
  advance(ms: number): Promise<void>;
  /** Jumps to an absolute time without firing timers, like a laptop waking from sleep. */
  set(epochMs: number): void;
  /** How many timers are scheduled. */
  pendingTimers(): number;
}

/** Lets pending promise chains (fake network round trips included) run to completion. */
export async function flushAsync(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Creates a {@link TestClock} starting at `startMs` (default: now). */
export function createTestClock(startMs: number = Date.now()): TestClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  const nextDue = (until: number) =>
    [...timers.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
  return {
    now: () => now,
    setTimeout(run, delayMs) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, delayMs), run });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    set(epochMs) {
      now = epochMs;
    },
    pendingTimers: () => timers.size,
    async advance(ms) {
      const target = now + ms;
      for (let due = nextDue(target); due; due = nextDue(target)) {
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].run();
        await flushAsync();
      }
      now = target;
      await flushAsync();
    },
  };
}
