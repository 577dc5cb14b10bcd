// Hostile review 7: worker mode through <CozeAuthProvider> (options mode: the session is built
// during render, memoised; StrictMode builds it twice) with the package's own openVaultWorker on
// a stubbed SharedWorker that reaches an in-process vault (its fetch goes to MSW's fake Coze).
import { act, render, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeAuthProvider, CozeCallback, useCozeAuth } from '../../src/react/index';
import { testSessionOptions } from '../../src/testing/index';
import { createVault, type Vault } from '../../src/vault/createVault';
import { landOnCallback, setupFakeCoze } from '../helpers/harness';
import { createPortPair } from '../vault/vaultHarness';

await import('../../src/core/session/vaultLink');

const fake = setupFakeCoze();

function Status() {
  const { status } = useCozeAuth();
  return <p data-testid="status">{status}</p>;
}

function stubSharedWorker(vault: Vault) {
  const heard: unknown[] = [];
  const ports = { opened: 0, closed: 0 };
  class FakeSharedWorker {
    onerror: ((event: unknown) => void) | null = null;
    readonly port: { onmessage: ((event: { data: unknown }) => void) | null; postMessage(message: unknown): void; close(): void; start(): void };
    constructor(_url: string | URL, _options?: unknown) {
      const pair = createPortPair();
      ports.opened += 1;
      vault.attach(pair.vault);
      this.port = {
        onmessage: null,
        postMessage: (message) => pair.page.postMessage(message as never),
        close: () => {
          ports.closed += 1;
          pair.page.close();
        },
        start: () => undefined,
      };
      pair.page.onmessage = (event) => {
        heard.push(event.data);
        this.port.onmessage?.(event);
      };
    }
  }
  vi.stubGlobal('SharedWorker', FakeSharedWorker);
  return { heard, ports };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('hostile7: worker mode through <CozeAuthProvider> in StrictMode', () => {
  it('held: on the callback page: one exchange (in the vault), signed in, the page never fetches a token nor hears a refresh token', async () => {
    const model = fake.reset();
    const issued: string[] = [];
    const vault = createVault({
      fetch: async (input, init) => {
        const response = await globalThis.fetch(input, init);
        const body = (await response.clone().json().catch(() => undefined)) as { refresh_token?: string } | undefined;
        if (body?.refresh_token) issued.push(body.refresh_token);
        return response;
      },
    });
    const { heard, ports } = stubSharedWorker(vault);
    await landOnCallback(model, '/after');
    const { clientId, redirectUri, baseURL, webBaseURL } = testSessionOptions();
    const onSuccess = vi.fn();
    const view = render(
      <StrictMode>
        <CozeAuthProvider clientId={clientId} redirectUri={redirectUri} baseURL={baseURL} webBaseURL={webBaseURL} tokenStorage="worker">
          <CozeCallback onSuccess={onSuccess} />
          <Status />
        </CozeAuthProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(view.getByTestId('status').textContent).toBe('signed-in'));
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 20)));
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(model.counters.tokenExchange).toBe(1);
    expect(issued).toHaveLength(1);
    expect(JSON.stringify(heard)).not.toContain(issued[0]);
    expect(document.documentElement.outerHTML).not.toContain(issued[0]);
    expect(JSON.stringify({ ...sessionStorage, ...localStorage })).not.toContain(issued[0]);
    view.unmount();
    // Observed (not asserted as a defect here): StrictMode's discarded memo builds a second
    // session, which connects too; and no port is closed when the provider unmounts (measured:
    // 2 ports opened, 0 closed after view.unmount()).
    expect(ports.opened).toBeGreaterThanOrEqual(1);
  });
});
