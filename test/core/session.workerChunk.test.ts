import { describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { flushAsync } from '../../src/testing/index';
import { rejection, sessionOptions } from '../helpers/harness';

// The worker-mode chunk cannot be downloaded (offline, a deploy removed it).
vi.mock('../../src/core/session/vaultLink', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

describe("tokenStorage: 'worker' without its chunk", () => {
  it('leaves loading for signed out with network_error, and getToken says why', async () => {
    const openVaultWorker = vi.fn();
    const session = new CozeSession(sessionOptions({ tokenStorage: 'worker', openVaultWorker }));
    const events: CozeAuthEvent[] = [];
    session.onEvent((event) => events.push(event));
    expect(session.getSnapshot().status).toBe('loading');
    await flushAsync();
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'network_error' } });
    expect(events).toMatchObject([{ type: 'error', error: { code: 'network_error' } }]);
    await expect(rejection(session.getToken())).resolves.toMatchObject({ code: 'login_required' });
    expect(openVaultWorker).not.toHaveBeenCalled();
  });
});
