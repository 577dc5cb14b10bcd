// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { VaultEndpoint } from '../../src/core/vault/openVaultWorker';
import { createVaultClient } from '../../src/core/vault/vaultClient';
import { vaultWorkerName } from '../../src/core/vault/vaultProtocol';
import { createTestClock } from '../../src/testing/index';
import { CLIENT_ID, createVaultWorld, TOKEN_URL } from './vaultHarness';

/** A vault that never answers (a worker still loading, or hung). */
function silentEndpoint(): VaultEndpoint & { posted: unknown[]; closed: boolean } {
  const endpoint = {
    posted: [] as unknown[],
    closed: false,
    onmessage: null,
    onerror: null as VaultEndpoint['onerror'],
    postMessage: (message: unknown) => void endpoint.posted.push(message),
    close: () => void (endpoint.closed = true),
  };
  return endpoint;
}

describe('vault client', () => {
  it('opens the vault of its client id and token endpoint, under a versioned name, at the URL it was given', () => {
    const opened: [string, string | URL | undefined][] = [];
    createVaultClient({
      clientId: CLIENT_ID,
      tokenEndpoint: TOKEN_URL,
      workerUrl: '/static/vaultWorker.js',
      openWorker: (name, url) => {
        opened.push([name, url]);
        return silentEndpoint();
      },
    });
    expect(opened).toEqual([[vaultWorkerName(CLIENT_ID, TOKEN_URL), '/static/vaultWorker.js']]);
    expect(vaultWorkerName(CLIENT_ID, TOKEN_URL)).toBe(`react-coze-auth-vault/v1/${CLIENT_ID}/${TOKEN_URL}`);
  });

  it('names another vault for another token endpoint, and one vault for spellings of one endpoint', () => {
    const other = 'https://api-2.coze.test/api/permission/oauth2/token';
    expect(vaultWorkerName(CLIENT_ID, other)).not.toBe(vaultWorkerName(CLIENT_ID, TOKEN_URL));
    expect(vaultWorkerName(CLIENT_ID, 'HTTPS://API-2.coze.test:443/api/permission/oauth2/token')).toBe(vaultWorkerName(CLIENT_ID, other));
  });

  it('fails a request the vault leaves unanswered with a transient network_error', async () => {
    const clock = createTestClock();
    const endpoint = silentEndpoint();
    const client = createVaultClient({ clientId: CLIENT_ID, tokenEndpoint: TOKEN_URL, clock, openWorker: () => endpoint, timeoutMs: 1_000 });
    const refresh = client.refresh('s', 0);
    const outcome = refresh.catch((error: unknown) => error);
    await clock.advance(1_000);
    await expect(outcome).resolves.toMatchObject({ code: 'network_error', isTransient: true });
    await expect(client.ready).rejects.toMatchObject({ code: 'network_error' });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fails everything pending with storage_unavailable when the worker cannot start', async () => {
    const endpoint = silentEndpoint();
    const client = createVaultClient({ clientId: CLIENT_ID, tokenEndpoint: TOKEN_URL, openWorker: () => endpoint });
    const signOut = client.signOut();
    endpoint.onerror?.(new Event('error'));
    await expect(signOut).rejects.toMatchObject({ code: 'storage_unavailable' });
    await expect(client.ready).rejects.toMatchObject({ code: 'storage_unavailable' });
  });

  it('says goodbye on close, so the vault stops posting to a page that is gone', async () => {
    const world = createVaultWorld();
    const tab = world.openTab();
    await tab.client.ready;
    expect(world.vault.portCount).toBe(1);
    tab.client.close();
    // The goodbye is posted before the port closes; the fake delivers it on the next task.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(world.vault.portCount).toBe(0);
    await expect(tab.client.refresh('s', 0)).rejects.toMatchObject({ code: 'network_error' });
  });

  it('ignores what a vault should never send', async () => {
    const endpoint = silentEndpoint();
    const client = createVaultClient({ clientId: CLIENT_ID, tokenEndpoint: TOKEN_URL, openWorker: () => endpoint });
    const heard: unknown[] = [];
    client.subscribe((event) => heard.push(event));
    for (const data of [null, 'x', { type: 'reply', id: 999, ok: true }, { type: 'nonsense' }]) endpoint.onmessage?.({ data });
    expect(heard).toEqual([]);
    expect(client.state).toBeUndefined();
    client.close();
  });
});
