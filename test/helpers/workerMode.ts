/**
 * Sessions in worker mode (`tokenStorage: 'worker'`) against an in-process token vault: the real
 * `createVault` behind fake MessagePort pairs (one per "tab"), spending grants at the fake Coze
 * model on the tabs' test clock. Every message that reaches a page is kept, to prove none holds a
 * refresh token; the pages' own `fetch` must never be used for a token request.
 */
import { afterEach, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import type { VaultEndpoint } from '../../src/core/vault/openVaultWorker';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { createTestClock, createTestCozeModel, flushAsync, modelFetch, type CozeModel } from '../../src/testing/index';
import { createVault } from '../../src/vault/createVault';
import { attachedEndpoint, createSignOutBus } from '../vault/vaultHarness';
import { sessionOptions, startSignIn } from './harness';

// The engine loads its vault link lazily; load it up front (as test/setup.ts does the engine) so
// a test's first session does not wait for a cold import that `settle()` may not cover.
await import('../../src/core/session/vaultLink');

export interface WorkerTab {
  session: CozeSession;
  events: CozeAuthEvent[];
  navigate: ReturnType<typeof vi.fn>;
  unmount(): void;
}

export function createWorkerWorld(start: number, accessTokenTtlSeconds = 900) {
  const clock = createTestClock(start);
  const model: CozeModel = createTestCozeModel({ now: clock.now, accessTokenTtlSeconds });
  const answer = modelFetch(model);
  const waiting: (() => void)[] = [];
  const issuedRefreshTokens: string[] = [];
  /** Everything any page received from the vault, and everything pages put in their own fetch. */
  const heardByPages: unknown[] = [];
  let pageFetches = 0;
  let held = false;

  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    if (held) await new Promise<void>((resolve) => waiting.push(resolve));
    const response = await answer(input, init);
    const body = (await response.clone().json().catch(() => undefined)) as { refresh_token?: unknown } | undefined;
    if (typeof body?.refresh_token === 'string') issuedRefreshTokens.push(body.refresh_token);
    return response;
  };
  const vault = createVault({ fetch, clock, openSignOutChannel: createSignOutBus().open });
  const tabs: WorkerTab[] = [];

  function openVaultWorker(): VaultEndpoint {
    return attachedEndpoint(vault, heardByPages);
  }

  /** A worker whose script does not load (a 404, a CSP refusal): an error event, never an answer. */
  function brokenWorker(): VaultEndpoint {
    const endpoint: VaultEndpoint = { onmessage: null, onerror: null, postMessage: () => undefined, close: () => undefined };
    setTimeout(() => endpoint.onerror?.(new Event('error')), 0);
    return endpoint;
  }

  afterEach(() => {
    for (const tab of tabs.splice(0)) tab.unmount();
  });

  return {
    clock,
    model,
    vault,
    issuedRefreshTokens,
    heardByPages,
    pageFetches: () => pageFetches,
    hold: () => void (held = true),
    onWire: () => waiting.length,
    async release() {
      held = false;
      waiting.splice(0).forEach((go) => go());
      await flushAsync();
    },
    /** A tab: a worker-mode session on its own vault port, mounted, with every event it emitted. */
    openTab({ mount = true, failToStart = false }: { mount?: boolean; failToStart?: boolean } = {}): WorkerTab {
      const options = sessionOptions({
        clock,
        tokenStorage: 'worker',
        openVaultWorker: () => (failToStart ? brokenWorker() : openVaultWorker()),
        // The page never talks to the token endpoint itself in worker mode.
        fetch: () => {
          pageFetches += 1;
          return Promise.reject(new TypeError('the page must not fetch tokens in worker mode'));
        },
      });
      const session = new CozeSession(options);
      const events: CozeAuthEvent[] = [];
      session.onEvent((event) => events.push(event));
      const unmount = mount ? session.mount() : () => undefined;
      const tab: WorkerTab = {
        session,
        events,
        navigate: options.navigate,
        unmount,
      };
      tabs.push(tab);
      return tab;
    },
    /** Login → consent → callback in `tab`, as the browser would land on it. */
    async signIn(tab: WorkerTab) {
      const callbackUrl = await startSignIn(tab.session, model, tab.navigate);
      window.history.replaceState(null, '', callbackUrl);
      return tab.session.handleRedirectCallback(callbackUrl);
    },
  };
}

export const settle = flushAsync;
