/**
 * The vault in Node: `createVault` behind fake MessagePort pairs (one per "tab"), spending
 * grants at the fake Coze model, with a gate to hold token requests on the wire and a record of
 * every request and every refresh token Coze issued (to prove none reaches a page).
 */
import type { VaultEndpoint } from '../../src/core/vault/openVaultWorker';
import { createVaultClient, type VaultClient, type VaultEvent } from '../../src/core/vault/vaultClient';
import type { VaultToPageMessage } from '../../src/core/vault/vaultProtocol';
import { createTestClock, flushAsync, NETWORK_ERROR, TEST_CLIENT_ID as CLIENT_ID } from '../../src/testing/index';
import { createVault, type SignOutChannel, type Vault, type VaultPort } from '../../src/vault/createVault';
import { callbackParams, createTestModel, pkceAuthorizeUrl, REDIRECT, T0, TOKEN_URL, VERIFIER } from '../testing/modelHarness';

export { CLIENT_ID, REDIRECT, TOKEN_URL, VERIFIER };

/**
 * Two connected ends, like `MessageChannel`: messages are structured-cloned (what a page put on
 * them beyond data does not travel) and delivered on a later task, never synchronously.
 */
export function createPortPair(): { page: VaultEndpoint; vault: VaultPort } {
  let open = true;
  // What was posted before the page closed its end still arrives; nothing reaches it afterwards.
  const deliver = (to: { onmessage: ((event: { data: unknown }) => void) | null }, message: unknown, whileOpen: () => boolean) => {
    if (!open) return;
    const data = structuredClone(message);
    setTimeout(() => {
      if (whileOpen()) to.onmessage?.({ data });
    }, 0);
  };
  const vault: VaultPort = { onmessage: null, postMessage: (message) => deliver(page, message, () => open) };
  const page: VaultEndpoint = {
    onmessage: null,
    onerror: null,
    postMessage: (message) => deliver(vault, message, () => true),
    close: () => void (open = false),
  };
  return { page, vault };
}

/**
 * A page's end of a new port to `vault` (what `openVaultWorker` gives a page). Every message the
 * page hears is also added to `heard`; `onClose` hears the page close it.
 */
export function attachedEndpoint(vault: Vault, heard?: unknown[], onClose?: () => void): VaultEndpoint {
  const pair = createPortPair();
  vault.attach(pair.vault);
  const endpoint: VaultEndpoint = {
    onmessage: null,
    onerror: null,
    postMessage: (message) => pair.page.postMessage(message),
    close: () => {
      onClose?.();
      pair.page.close();
    },
  };
  pair.page.onmessage = (event) => {
    heard?.push(event.data);
    endpoint.onmessage?.(event);
  };
  return endpoint;
}

/** A hostile script's own port to the vault: it posts anything and keeps all it hears. */
export interface RawPort {
  readonly received: VaultToPageMessage[];
  post(message: unknown): void;
}

export interface FetchRecord {
  url: string;
  body: string;
}

export function createVaultWorld() {
  const clock = createTestClock(T0);
  const { model } = createTestModel({ now: () => clock.now() });
  const requests: FetchRecord[] = [];
  const issuedRefreshTokens: string[] = [];
  const waiting: (() => void)[] = [];
  let held = false;
  let sessions = 0;

  /** The vault's transport: the fake Coze model, in process. */
  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    requests.push({ url: input, body: String(init.body) });
    if (held) await new Promise<void>((resolve) => waiting.push(resolve));
    const outcome = await model.handle(new Request(input, init));
    if (outcome === undefined) throw new TypeError(`fetch failed: nothing at ${input}`);
    if (outcome === NETWORK_ERROR) throw new TypeError('fetch failed');
    const body = (await outcome.clone().json().catch(() => undefined)) as { refresh_token?: unknown } | undefined;
    if (typeof body?.refresh_token === 'string') issuedRefreshTokens.push(body.refresh_token);
    return outcome;
  };

  const vault = createVault({ fetch, clock, randomId: () => `session-${++sessions}`, openSignOutChannel: createSignOutBus().open });

  return {
    clock,
    model,
    vault,
    requests,
    issuedRefreshTokens,
    /** Token requests wait on the wire until {@link release}. */
    hold: () => void (held = true),
    async release() {
      held = false;
      waiting.splice(0).forEach((go) => go());
      await flushAsync();
    },
    /** Lets only the `index`-th request on the wire (oldest first) through. */
    async releaseOne(index: number) {
      waiting.splice(index, 1)[0]?.();
      await flushAsync();
    },
    onWire: () => waiting.length,
    /** A tab: a vault client on its own port, with every event it heard. */
    openTab(tokenEndpoint = TOKEN_URL): { client: VaultClient; events: VaultEvent[] } {
      const client = createVaultClient({
        clientId: CLIENT_ID,
        tokenEndpoint,
        clock,
        openWorker: () => attachedEndpoint(vault),
      });
      const events: VaultEvent[] = [];
      client.subscribe((event) => events.push(event));
      return { client, events };
    },
    rawPort(): RawPort {
      const pair = createPortPair();
      const received: VaultToPageMessage[] = [];
      pair.page.onmessage = ({ data }) => received.push(data as VaultToPageMessage);
      vault.attach(pair.vault);
      return { received, post: (message) => pair.page.postMessage(message as never) };
    },
    /** Consent at the fake Coze; resolves the code of the callback. */
    async authorize(verifier = VERIFIER): Promise<string> {
      const callback = await model.approve(await pkceAuthorizeUrl(verifier));
      const code = callbackParams(callback).code;
      if (!code) throw new Error(`no code in ${callback}`);
      return code;
    },
    /** Consent, then the code exchange through `client`. */
    async signIn(client: VaultClient) {
      const code = await this.authorize();
      return client.exchangeCode({ code, codeVerifier: VERIFIER, redirectUri: REDIRECT });
    },
  };
}

export const settle = flushAsync;

/**
 * An in-memory BroadcastChannel for the vaults' sign-out notices, one per test world (Node's real
 * one is shared by the whole process: a notice from one test could reach the next): a post reaches every other channel of its name, later, cloned. */
export function createSignOutBus() {
  const channels = new Map<string, Set<SignOutChannel>>();
  const posted: { name: string; message: unknown }[] = [];
  const deliver = (name: string, data: unknown, except?: SignOutChannel) => {
    for (const channel of channels.get(name) ?? []) {
      if (channel === except) continue;
      const copy = structuredClone(data);
      setTimeout(() => channel.onmessage?.({ data: copy }), 0);
    }
  };
  return {
    posted,
    names: () => [...channels.keys()],
    open(name: string): SignOutChannel {
      const channel: SignOutChannel = {
        onmessage: null,
        postMessage(message) {
          posted.push({ name, message: structuredClone(message) });
          deliver(name, message, channel);
        },
      };
      channels.set(name, (channels.get(name) ?? new Set()).add(channel));
      return channel;
    },
    /** A post by anything else on the origin (a page script, another release's vault). */
    inject: (name: string, data: unknown) => deliver(name, data),
  };
}
