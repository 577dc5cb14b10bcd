import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeAuthProvider, useCozeAuth } from '../../src/react/index';
import { testSessionOptions } from '../../src/testing/index';

/** A SharedWorker that records how it was opened and never answers (the vault still loading). */
function stubSharedWorker() {
  const opened: { url: string; options: WorkerOptions & { extendedLifetime?: boolean } }[] = [];
  class FakeSharedWorker {
    readonly port = { postMessage: () => undefined, close: () => undefined, onmessage: null };
    onerror = null;
    constructor(url: string | URL, options: WorkerOptions) {
      opened.push({ url: String(url), options });
    }
  }
  vi.stubGlobal('SharedWorker', FakeSharedWorker);
  return opened;
}

function Status() {
  const { status, isLoading } = useCozeAuth();
  return <p data-testid="status">{`${status} ${String(isLoading)}`}</p>;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("<CozeAuthProvider tokenStorage='worker'>", () => {
  it('shows loading until the vault answers, and opens the vault at workerUrl, kept across reloads', async () => {
    const opened = stubSharedWorker();
    const { clientId, redirectUri, baseURL, webBaseURL } = testSessionOptions();
    render(
      <CozeAuthProvider clientId={clientId} redirectUri={redirectUri} baseURL={baseURL} webBaseURL={webBaseURL} tokenStorage="worker" workerUrl="/static/coze-vault.js">
        <Status />
      </CozeAuthProvider>,
    );
    expect(screen.getByTestId('status').textContent).toBe('loading true');
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(opened[0]).toEqual({
      url: '/static/coze-vault.js',
      options: { extendedLifetime: true, name: `react-coze-auth-vault/v1/${clientId}/${baseURL}/api/permission/oauth2/token`, type: 'module' },
    });
    expect(screen.getByTestId('status').textContent).toBe('loading true');
  });
});
