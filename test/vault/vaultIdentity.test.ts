// @vitest-environment node
// Hostile review 7's vault-side fixes: no push before an accepted connect, the token endpoint in
// the vault's name, and sign-outs heard across vaults of one client id.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isCozeAuthError, type CozeAuthError } from '../../src/core/errors';
import { createVaultClient, type VaultEvent } from '../../src/core/vault/vaultClient';
import { VAULT_PROTOCOL_VERSION, vaultSignOutChannelName, vaultWorkerName } from '../../src/core/vault/vaultProtocol';
import { createTestClock, TEST_API_ORIGIN } from '../../src/testing/index';
import { createVault, type SignOutChannel, type Vault } from '../../src/vault/createVault';
import { callbackParams, createTestModel, pkceAuthorizeUrl, REDIRECT, T0, TOKEN_URL, VERIFIER } from '../testing/modelHarness';
import { attachedEndpoint, CLIENT_ID, createPortPair, createSignOutBus as createBus, createVaultWorld, settle } from './vaultHarness';

/** The token endpoint of another release: another API base (a regional host, the app's proxy). */
const OTHER_ENDPOINT = 'https://api-2.coze.test/api/permission/oauth2/token';

afterEach(() => {
  vi.unstubAllGlobals();
});

async function rejection(promise: Promise<unknown>): Promise<CozeAuthError> {
  try {
    await promise;
  } catch (error) {
    if (isCozeAuthError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Several vaults (other workers: script URL, version or endpoint) in front of one fake Coze. */
function createVaults(openSignOutChannel?: (name: string) => SignOutChannel | undefined) {
  const clock = createTestClock(T0);
  const { model } = createTestModel({ now: () => clock.now() });
  let tokenRequests = 0;
  let sessions = 0;
  let held = false;
  const waiting: (() => void)[] = [];
  // Both API bases reach the one fake Coze: only the vault's identity differs.
  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    tokenRequests += 1;
    if (held) await new Promise<void>((resolve) => waiting.push(resolve));
    const outcome = await model.handle(new Request(input.replace('https://api-2.coze.test', TEST_API_ORIGIN), init));
    if (!(outcome instanceof Response)) throw new TypeError('fetch failed');
    return outcome;
  };
  const newVault = (): Vault =>
    createVault({ fetch, clock, randomId: () => `session-${++sessions}`, ...(openSignOutChannel ? { openSignOutChannel } : {}) });
  return {
    clock,
    tokenRequests: () => tokenRequests,
    /** Token requests wait on the wire until {@link release}. */
    hold: () => void (held = true),
    onWire: () => waiting.length,
    async release() {
      held = false;
      waiting.splice(0).forEach((go) => go());
      await settle();
    },
    newVault,
    openTab(vault: Vault, tokenEndpoint = TOKEN_URL) {
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
    async signIn(client: ReturnType<typeof createVaultClient>) {
      const code = callbackParams(await model.approve(await pkceAuthorizeUrl(VERIFIER))).code as string;
      return client.exchangeCode({ code, codeVerifier: VERIFIER, redirectUri: REDIRECT });
    },
  };
}

describe('vault: a port hears nothing before its connect is accepted', () => {
  it('a port that has not connected hears neither the sign-in nor its changes', async () => {
    const world = createVaultWorld();
    const tab = world.openTab();
    const tokens = await world.signIn(tab.client);
    const raw = world.rawPort();
    await tab.client.refresh(tokens.sessionId, 0);
    await tab.client.signOut();
    await settle();
    expect(raw.received).toEqual([]);
  });

  it('a port the vault refused (another token endpoint) hears only the refusal, whatever happens after', async () => {
    const world = createVaultWorld();
    const tab = world.openTab();
    const tokens = await world.signIn(tab.client);
    const raw = world.rawPort();
    raw.post({ type: 'connect', id: 1, version: VAULT_PROTOCOL_VERSION, clientId: CLIENT_ID, tokenEndpoint: OTHER_ENDPOINT });
    await settle();
    await tab.client.refresh(tokens.sessionId, 0);
    await tab.client.signOut();
    await settle();
    expect(raw.received).toEqual([{ type: 'reply', id: 1, ok: false, error: expect.objectContaining({ code: 'invalid_config' }) }]);
  });

  it('a page the vault refused is never shown a sign-in: its client rejects ready and holds no state', async () => {
    const world = createVaultWorld();
    const tab = world.openTab();
    await world.signIn(tab.client);
    const refused = world.openTab(OTHER_ENDPOINT);
    expect((await rejection(refused.client.ready)).code).toBe('invalid_config');
    await settle();
    expect(refused.client.state).toBeUndefined();
    expect(refused.events).toEqual([]);
  });
});

describe("vault: the token endpoint is part of the vault's identity", () => {
  it('pages of another token endpoint open another vault and can sign in there, while the first keeps its sign-in', async () => {
    const world = createVaults(createBus().open);
    const byName = new Map<string, Vault>();
    const vaultFor = (tokenEndpoint: string) => {
      const name = vaultWorkerName(CLIENT_ID, tokenEndpoint);
      if (!byName.has(name)) byName.set(name, world.newVault());
      return byName.get(name) as Vault;
    };
    const old = world.openTab(vaultFor(TOKEN_URL));
    const first = await world.signIn(old.client);
    const fresh = world.openTab(vaultFor(OTHER_ENDPOINT), OTHER_ENDPOINT);
    await expect(fresh.client.ready).resolves.toMatchObject({ status: 'signed-out', reason: 'never-signed-in' });
    expect(byName.size).toBe(2);
    const second = await world.signIn(fresh.client);
    await settle();
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(old.client.state).toMatchObject({ status: 'signed-in', tokens: { sessionId: first.sessionId } });
    expect(fresh.client.state).toMatchObject({ status: 'signed-in', tokens: { sessionId: second.sessionId } });
  });
});

describe('vault: a sign-out reaches every vault of the client id', () => {
  it('the other vault ends its sign-in for its tabs, spends nothing after, and does not pass the notice on', async () => {
    const bus = createBus();
    const world = createVaults(bus.open);
    const [oldVault, newVault] = [world.newVault(), world.newVault()];
    const old = world.openTab(oldVault);
    const oldToo = world.openTab(oldVault);
    const fresh = world.openTab(newVault, OTHER_ENDPOINT);
    const before = await world.signIn(old.client);
    await world.signIn(fresh.client);
    await settle();
    expect(oldToo.client.state).toMatchObject({ status: 'signed-in' });

    await fresh.client.signOut();
    await settle();
    for (const tab of [old, oldToo]) {
      expect(tab.client.state).toEqual({ status: 'signed-out', reason: 'logout', error: undefined });
      expect(tab.events.at(-1)).toEqual({ type: 'state', state: { status: 'signed-out', reason: 'logout', error: undefined } });
    }
    // One notice, without a secret; the vault that heard it posted nothing.
    expect(bus.posted).toEqual([{ name: vaultSignOutChannelName(CLIENT_ID), message: { type: 'signed-out', clientId: CLIENT_ID } }]);
    const requests = world.tokenRequests();
    expect((await rejection(old.client.refresh(before.sessionId, 0))).code).toBe('login_required');
    await world.clock.advance(3_600_000);
    expect(world.tokenRequests()).toBe(requests);
  });

  it('drops a code exchange of the other vault that was on the wire when the notice came', async () => {
    const bus = createBus();
    const world = createVaults(bus.open);
    const [a, b] = [world.newVault(), world.newVault()];
    const left = world.openTab(a);
    const right = world.openTab(b);
    await Promise.all([left.client.ready, right.client.ready]);
    world.hold();
    const exchange = rejection(world.signIn(left.client));
    await settle();
    expect(world.onWire()).toBe(1);
    await right.client.signOut();
    await settle();
    await world.release();
    expect((await exchange).code).toBe('login_required');
    expect(left.client.state).toMatchObject({ status: 'signed-out', reason: 'logout' });
  });

  it('ignores notices of another client id and anything that is not a notice', async () => {
    const bus = createBus();
    const world = createVaults(bus.open);
    const tab = world.openTab(world.newVault());
    await world.signIn(tab.client);
    const name = vaultSignOutChannelName(CLIENT_ID);
    for (const data of [
      { type: 'signed-out', clientId: 'another-app' },
      { type: 'signed-out' },
      { type: 'sign-out', clientId: CLIENT_ID },
      'signed-out',
      null,
      [{ type: 'signed-out', clientId: CLIENT_ID }],
    ]) {
      bus.inject(name, data);
    }
    await settle();
    expect(tab.client.state).toMatchObject({ status: 'signed-in' });
  });

  it('opens its channel once a page fixed the client id, not for a refused page', async () => {
    const bus = createBus();
    const world = createVaults(bus.open);
    const vault = world.newVault();
    const pair = createPortPair();
    vault.attach(pair.vault);
    pair.page.postMessage({ type: 'connect', id: 1, version: VAULT_PROTOCOL_VERSION, clientId: CLIENT_ID, tokenEndpoint: 'http://evil.test/api/permission/oauth2/token' });
    await settle();
    expect(bus.names()).toEqual([]);
    await world.openTab(vault).client.ready;
    await world.openTab(vault).client.ready;
    expect(bus.names()).toEqual([vaultSignOutChannelName(CLIENT_ID)]);
    expect(vaultSignOutChannelName(CLIENT_ID)).toBe(`react-coze-auth-vault-signout/${CLIENT_ID}`);
  });

  it('by default on a BroadcastChannel: two vaults of one process hear each other', async () => {
    expect(typeof BroadcastChannel).toBe('function');
    const world = createVaults();
    const [a, b] = [world.openTab(world.newVault()), world.openTab(world.newVault())];
    await world.signIn(a.client);
    await world.signIn(b.client);
    await b.client.signOut();
    await settle();
    expect(a.client.state).toMatchObject({ status: 'signed-out', reason: 'logout' });
  });

  it.each([
    ['missing', undefined],
    [
      'throwing',
      class {
        constructor() {
          throw new DOMException('not here', 'NotSupportedError');
        }
      },
    ],
  ])('with BroadcastChannel %s, a vault still signs in and out for its own tabs', async (_, stub) => {
    vi.stubGlobal('BroadcastChannel', stub);
    const world = createVaults();
    const vault = world.newVault();
    const [a, b] = [world.openTab(vault), world.openTab(vault)];
    await world.signIn(a.client);
    await settle();
    expect(b.client.state).toMatchObject({ status: 'signed-in' });
    await a.client.signOut();
    await settle();
    expect(b.client.state).toMatchObject({ status: 'signed-out', reason: 'logout' });
  });

  it('a channel that fails to post leaves the sign-out done for this vault', async () => {
    const world = createVaults(() => ({
      onmessage: null,
      postMessage: () => {
        throw new DOMException('closed', 'InvalidStateError');
      },
    }));
    const vault = world.newVault();
    const [a, b] = [world.openTab(vault), world.openTab(vault)];
    await world.signIn(a.client);
    await expect(a.client.signOut()).resolves.toBeUndefined();
    await settle();
    expect(b.client.state).toMatchObject({ status: 'signed-out', reason: 'logout' });
  });
});
