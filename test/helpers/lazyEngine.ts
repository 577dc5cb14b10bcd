import { afterEach, beforeEach, vi } from 'vitest';
import type { CozeSession } from '../../src/core/session/CozeSession';

// test/setup.ts loads the session engine up front. These tests look at the moments before it
// arrives: each one gets a fresh copy of the session module (vi.resetModules) whose engine import
// waits at a gate, or fails, as the test says.
const ENGINE = '../../src/core/session/sessionEngine';

export interface GatedEngine {
  /** Lets the engine import finish (or fail, with `failLoad`). */
  open(): void;
  /** When set, the import fails like a chunk the network could not fetch. */
  failLoad: boolean;
  /** A CozeSession class from the fresh module graph: no engine loaded yet. */
  freshSessionClass(): Promise<typeof CozeSession>;
}

/** Holds the session engine's import at a gate for every test of the file. */
export function gateSessionEngine(): GatedEngine {
  let release: () => void = () => undefined;
  const engine: GatedEngine = {
    open: () => release(),
    failLoad: false,
    freshSessionClass: async () => (await import('../../src/core/session/CozeSession')).CozeSession,
  };
  beforeEach(() => {
    vi.resetModules();
    engine.failLoad = false;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    vi.doMock(ENGINE, async (importOriginal) => {
      await gate;
      if (engine.failLoad) throw new TypeError('Failed to fetch dynamically imported module');
      return importOriginal();
    });
  });
  afterEach(() => {
    vi.doUnmock(ENGINE);
  });
  return engine;
}
