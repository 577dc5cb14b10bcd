// @vitest-environment node
// Hostile review 7: worker mode on a server (no window, no SharedWorker, no Worker).
import { describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { testSessionOptions } from '../../src/testing/index';

describe('hostile7: worker mode while server rendering', () => {
  it('held: constructing, mounting and unmounting a worker-mode session throws nothing, sends nothing, and renders loading', async () => {
    expect(typeof SharedWorker).toBe('undefined');
    const fetch = vi.fn();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const session = new CozeSession(testSessionOptions({ redirectUri: 'https://app.example/callback', fetch, tokenStorage: 'worker' }));
      expect(session.getSnapshot()).toMatchObject({ status: 'loading', isLoading: true });
      session.mount()();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fetch).not.toHaveBeenCalled();
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
