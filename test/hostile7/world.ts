/**
 * Hostile review 7: a worker-mode world with more knobs than test/helpers/workerMode.ts.
 * - `shared`: one vault per worker *name* (SharedWorker semantics: same URL + name = same vault).
 * - `dedicated`: every `openVaultWorker` call starts its own vault (the no-SharedWorker fallback).
 * - `intercept`: a hook in front of the fake Coze for the vault's token requests.
 * Every endpoint opened/closed is recorded, and every message any page heard.
 */
import { afterEach, vi } from 'vitest';
import { CozeSession, type CozeSessionOptions } from '../../src/core/session/CozeSession';
import type { VaultEndpoint } from '../../src/core/vault/openVaultWorker';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { createTestClock, createTestCozeModel, flushAsync, modelFetch, type CozeModel } from '../../src/testing/index';
import { createVault, type Vault } from '../../src/vault/createVault';
import { attachedEndpoint, createPortPair, createSignOutBus } from '../vault/vaultHarness';
import { sessionOptions, startSignIn } from '../helpers/harness';

await import('../../src/core/session/vaultLink');

export interface Tab {
  session: CozeSession;
  events: CozeAuthEvent[];
  navigate: ReturnType<typeof vi.fn>;
  unmount(): void;
}

export type Intercept = (input: string, init: RequestInit, next: () => Promise<Response>) => Promise<Response>;

export function createWorld(start: number, { mode = 'shared' as 'shared' | 'dedicated', accessTokenTtlSeconds = 900 } = {}) {
  const clock = createTestClock(start);
  const model: CozeModel = createTestCozeModel({ now: clock.now, accessTokenTtlSeconds });
  const answer = modelFetch(model);
  const issuedRefreshTokens: string[] = [];
  const spentRefreshTokens: string[] = [];
  const heardByPages: unknown[] = [];
  const waiting: (() => void)[] = [];
  let held = false;
  let intercept: Intercept | undefined;
  let pageFetches = 0;

  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const sent = JSON.parse(String(init.body)) as { refresh_token?: string };
    if (sent.refresh_token) spentRefreshTokens.push(sent.refresh_token);
    if (held) await new Promise<void>((resolve) => waiting.push(resolve));
    const next = async () => {
      const response = await answer(input, init);
      const body = (await response.clone().json().catch(() => undefined)) as { refresh_token?: unknown } | undefined;
      if (typeof body?.refresh_token === 'string') issuedRefreshTokens.push(body.refresh_token);
      return response;
    };
    return intercept ? intercept(input, init, next) : next();
  };

  const vaults = new Map<string, Vault>();
  const allVaults: Vault[] = [];
  // One world, one origin: its vaults hear each other's sign-outs, and nothing of other tests.
  const signOutBus = createSignOutBus();
  const opened: { name: string; closed: boolean }[] = [];
  const tabs: Tab[] = [];

  function vaultFor(name: string, workerUrl?: string | URL): Vault {
    if (workerUrl !== undefined) name = `${String(workerUrl)}|${name}`;
    if (mode === 'dedicated') {
      const vault = createVault({ fetch, clock, openSignOutChannel: signOutBus.open });
      allVaults.push(vault);
      return vault;
    }
    let vault = vaults.get(name);
    if (!vault) {
      vault = createVault({ fetch, clock, openSignOutChannel: signOutBus.open });
      vaults.set(name, vault);
      allVaults.push(vault);
    }
    return vault;
  }

  function openVaultWorker(name: string, workerUrl?: string | URL): VaultEndpoint {
    const record = { name, closed: false };
    opened.push(record);
    return attachedEndpoint(vaultFor(name, workerUrl), heardByPages, () => void (record.closed = true));
  }

  afterEach(() => {
    for (const tab of tabs.splice(0)) tab.unmount();
  });

  return {
    clock,
    model,
    issuedRefreshTokens,
    spentRefreshTokens,
    heardByPages,
    opened,
    allVaults,
    vaults,
    pageFetches: () => pageFetches,
    setIntercept: (next: Intercept | undefined) => void (intercept = next),
    hold: () => void (held = true),
    onWire: () => waiting.length,
    async release() {
      held = false;
      waiting.splice(0).forEach((go) => go());
      await flushAsync();
    },
    options(extra: Partial<CozeSessionOptions> = {}) {
      return sessionOptions({
        clock,
        tokenStorage: 'worker',
        openVaultWorker: (name, workerUrl) => openVaultWorker(name, workerUrl),
        fetch: () => {
          pageFetches += 1;
          return Promise.reject(new TypeError('the page must not fetch tokens in worker mode'));
        },
        ...extra,
      });
    },
    openTab({ mount = true, ...extra }: { mount?: boolean } & Partial<CozeSessionOptions> = {}): Tab {
      const options = this.options(extra);
      const session = new CozeSession(options);
      const events: CozeAuthEvent[] = [];
      session.onEvent((event) => events.push(event));
      const unmount = mount ? session.mount() : () => undefined;
      const tab: Tab = { session, events, navigate: options.navigate, unmount };
      tabs.push(tab);
      return tab;
    },
    async signIn(tab: Tab) {
      const callbackUrl = await startSignIn(tab.session, model, tab.navigate);
      window.history.replaceState(null, '', callbackUrl);
      return tab.session.handleRedirectCallback(callbackUrl);
    },
    /** A hostile script's own port to the vault of `name` (shared mode). */
    rawPort(name: string) {
      const pair = createPortPair();
      const received: unknown[] = [];
      pair.page.onmessage = ({ data }) => received.push(data);
      vaultFor(name).attach(pair.vault);
      return { received, post: (message: unknown) => pair.page.postMessage(message as never) };
    },
  };
}

export const settle = flushAsync;
