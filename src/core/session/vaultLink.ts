/**
 * Worker mode (`tokenStorage: 'worker'`): the session engine's line to the token vault. The
 * engine loads this module only in that mode, so other apps never download it.
 *
 * The vault is a transport for the code exchange and the refresh step, and the one place tabs
 * meet: what it pushes (a sign-in, a rotation, a sign-out, a failed refresh) becomes the
 * lifecycle's own adoption and sign-out actions here. Backoff, the clock rule and the 401 rule
 * stay the engine's.
 * @packageDocumentation
 */
import type { ResolvedCozeConfig } from '../config.js';
import { CozeAuthError } from '../errors.js';
import type { AuthorizationCodeGrant } from '../protocol/tokenClient.js';
import type { TokenResponse } from '../protocol/tokenResponse.js';
import { webStorage } from '../storage/storageAdapters.js';
import { tokenStorageKey, type StoredTokens } from '../storage/tokenStore.js';
import { createVaultClient, type VaultClient, type VaultEvent } from '../vault/vaultClient.js';
import type { VaultState, VaultTokens } from '../vault/vaultProtocol.js';
import type { CozeSessionOptions } from './CozeSession.js';
import type { LifecycleAction, LifecycleState } from './lifecycle.js';
import type { CozeAuthEvent, SignOutReason } from './types.js';

/** What the engine lends the link: its state and the few steps a vault push can lead to. */
export interface VaultLinkHost {
  readonly config: ResolvedCozeConfig;
  readonly options: CozeSessionOptions;
  state(): LifecycleState;
  dispatch(action: LifecycleAction): void;
  emit(event: CozeAuthEvent): void;
  subscribe(listener: () => void): () => void;
  /** Coze's expiry as a moment on this browser's clock (the engine's clock rule). */
  localExpiresAt(response: TokenResponse, obtainedAt: number): number;
  /** Learns what adopted tokens tell about the clocks, and forgets a finished backoff. */
  adopted(tokens: StoredTokens): void;
  /** Ends this tab's sign-in without telling the vault (it told us). */
  endSession(reason: SignOutReason, error: CozeAuthError | undefined): void;
  /** Another tab's refresh of the current tokens failed transiently: back off with it. */
  backOff(error: CozeAuthError): void;
}

const key = (sessionId: string, rotation: number) => `${sessionId} ${rotation}`;

/** The page's view of the vault's tokens; the refresh token stays in the vault. */
export function toStoredTokens(tokens: VaultTokens, localExpiresAt: VaultLinkHost['localExpiresAt']): StoredTokens {
  const response: TokenResponse = {
    accessToken: tokens.accessToken,
    refreshToken: undefined,
    cozeExpiresAt: tokens.cozeExpiresAt,
    lifetimeMs: tokens.lifetimeMs,
    tokenType: tokens.tokenType,
  };
  return {
    accessToken: tokens.accessToken,
    refreshToken: undefined,
    expiresAt: localExpiresAt(response, tokens.obtainedAt),
    obtainedAt: tokens.obtainedAt,
    tokenType: tokens.tokenType,
    sessionId: tokens.sessionId,
    signedInAt: tokens.signedInAt,
    rotation: tokens.rotation,
    cozeExpiresAt: tokens.cozeExpiresAt,
    vaultCanRefresh: tokens.canRefresh,
  };
}

/** The engine's handle on the vault: requests, and the vault's pushes applied to the session. */
export class VaultLink {
  readonly #host: VaultLinkHost;
  readonly #client: VaultClient;
  /** Refreshes this tab asked for, so the rotation they bring is reported as this tab's. */
  readonly #asked = new Set<string>();
  /** Sign-outs sent and not yet answered: a sign-in the vault pushed before it saw them is over. */
  #signingOut = 0;
  #waitingForSignIn = false;
  #closed = false;
  /** Settles once the session left `restoring` (the vault answered, or could not). */
  readonly restored: Promise<void>;

  constructor(host: VaultLinkHost) {
    this.#host = host;
    const { config, options } = host;
    // An earlier release of the app in another mode may have left a refresh token in web storage,
    // readable by any script on the page: in this mode nothing is kept there.
    for (const name of ['localStorage', 'sessionStorage'] as const) webStorage(name)?.removeItem(tokenStorageKey(config.clientId));
    this.#client = createVaultClient({
      clientId: config.clientId,
      tokenEndpoint: config.tokenEndpoint,
      ...(options.workerUrl === undefined ? {} : { workerUrl: options.workerUrl }),
      ...(options.openVaultWorker ? { openWorker: options.openVaultWorker } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    // Pushes count only once the vault accepted this page (a vault fixed to another token endpoint
    // refuses it, and what it holds is not this page's sign-in).
    let accepted = false;
    this.#client.subscribe((event) => accepted && this.#onPush(event));
    this.restored = this.#client.ready.then(
      (state) => {
        accepted = true;
        this.#apply(state);
      },
      (error: unknown) => {
        // No vault (a wrong script URL, a CSP refusal): signed out, and the app can show why.
        if (this.#closed || host.state().status !== 'restoring') return;
        const reason = error instanceof CozeAuthError ? error : new CozeAuthError('storage_unavailable', 'The Coze token vault could not start.');
        host.dispatch({ type: 'signed-out', error: reason });
        host.emit({ type: 'error', error: reason });
      },
    );
  }

  /** Whether the vault (as last heard) holds sign-in `sessionId`: a vault per session holds only its own session's. */
  holds(sessionId: string): boolean {
    const vault = this.#client.state;
    return vault?.status === 'signed-in' && vault.tokens.sessionId === sessionId;
  }

  /** The code exchange of a callback, in the vault; resolves the new sign-in as the page may hold it. */
  async exchangeCode(grant: AuthorizationCodeGrant): Promise<StoredTokens> {
    return toStoredTokens(await this.#client.exchangeCode(grant), this.#host.localExpiresAt);
  }

  /** Tokens newer than `current`: one request in the vault for every tab that asks about the same rotation. */
  async refresh(current: StoredTokens): Promise<StoredTokens> {
    const asked = key(current.sessionId, current.rotation ?? 0);
    this.#asked.add(asked);
    try {
      return toStoredTokens(await this.#client.refresh(current.sessionId, current.rotation ?? 0), this.#host.localExpiresAt);
    } finally {
      this.#asked.delete(asked);
    }
  }

  /** Ends the sign-in in the vault, so in every tab. Never rejects: this tab is signed out already. */
  signOut(): void {
    this.#signingOut += 1;
    const done = () => void (this.#signingOut -= 1);
    this.#client.signOut().then(done, done);
  }

  /** Lets go of the vault (the session unmounted): pending requests fail, pushes stop. */
  close(): void {
    this.#closed = true;
    this.#client.close();
  }

  #onPush(event: VaultEvent): void {
    const { status, tokens: mine, refresh } = this.#host.state();
    if (event.type === 'refresh-failed') {
      // The tab that asked hears the error in its answer. The others wait with it, and a retry
      // they had planned moves behind this attempt: one request per backoff step, whoever asks.
      if (status === 'signed-in' && mine?.sessionId === event.sessionId && (mine.rotation ?? 0) === event.rotation && refresh.kind !== 'in-flight') {
        this.#host.backOff(event.error);
      }
      return;
    }
    this.#apply(event.state);
  }

  /** The adoption rule for what the vault holds: it is every tab's sign-in. */
  #apply(vault: VaultState): void {
    const host = this.#host;
    const { status, tokens: mine } = host.state();
    if (status === 'signing-in') {
      // This tab's own code exchange decides first; what the vault holds then is looked at again.
      this.#applyAfterSignIn();
      return;
    }
    if (vault.status === 'signed-out') {
      if (status === 'restoring') host.dispatch({ type: 'signed-out', error: undefined });
      else if (status === 'signed-in') {
        const rejected = vault.reason === 'refresh-rejected' && vault.error ? new CozeAuthError(vault.error.code, vault.error.message) : undefined;
        host.endSession(rejected ? 'refresh-rejected' : 'other-tab', rejected);
      }
      return;
    }
    if (this.#signingOut > 0) return;
    const incoming = toStoredTokens(vault.tokens, host.localExpiresAt);
    if (status === 'signed-in' && mine?.sessionId === incoming.sessionId) {
      const from = mine.rotation ?? 0;
      if ((incoming.rotation ?? 0) <= from) return;
      host.adopted(incoming);
      host.dispatch({ type: 'rotation-adopted', generation: host.state().generation, tokens: incoming });
      host.emit({ type: 'refreshed', expiresAt: incoming.expiresAt, source: this.#asked.has(key(mine.sessionId, from)) ? 'this-tab' : 'other-tab' });
      return;
    }
    host.adopted(incoming);
    host.dispatch({ type: 'session-adopted', tokens: incoming });
    // Restoring is not news; another tab's sign-in is.
    if (status !== 'restoring') host.emit({ type: 'signed-in', expiresAt: incoming.expiresAt, source: 'other-tab' });
  }

  #applyAfterSignIn(): void {
    if (this.#waitingForSignIn) return;
    this.#waitingForSignIn = true;
    const stop = this.#host.subscribe(() => {
      if (this.#host.state().status === 'signing-in') return;
      stop();
      this.#waitingForSignIn = false;
      const latest = this.#client.state;
      if (latest) this.#apply(latest);
    });
  }
}
