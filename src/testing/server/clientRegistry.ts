import type { CozeClient } from './types.js';

/** A client with its defaults applied. */
export interface RegisteredClient {
  readonly clientId: string;
  readonly name: string;
  readonly redirectUris: readonly string[];
}

/** The registered OAuth apps, and the browser origins allowed to call the server (CORS). */
export class ClientRegistry {
  readonly #clients = new Map<string, RegisteredClient>();
  readonly #allowedOrigins = new Set<string>();

  constructor(clients: readonly CozeClient[]) {
    for (const client of clients) {
      if (!client.clientId) throw new TypeError('Coze model: a client needs a clientId');
      if (client.redirectUris.length === 0) {
        throw new TypeError(`Coze model: client ${client.clientId} needs at least one redirect URI`);
      }
      for (const uri of client.redirectUris) {
        // RFC 6749 §3.1.2: absolute URI, no fragment. Failing here beats a puzzling 400 later.
        if (new URL(uri).hash) throw new TypeError(`Coze model: redirect URI ${uri} has a fragment`);
      }
      this.#clients.set(client.clientId, {
        clientId: client.clientId,
        name: client.name ?? client.clientId,
        redirectUris: [...client.redirectUris],
      });
      const origins = client.allowedOrigins ?? client.redirectUris;
      for (const origin of origins) this.#allowedOrigins.add(new URL(origin).origin);
    }
  }

  get(clientId: string): RegisteredClient | undefined {
    return this.#clients.get(clientId);
  }

  /** Exact string match, as Coze does: no normalisation, no prefix or wildcard matching. */
  isRegisteredRedirect(client: RegisteredClient, redirectUri: string): boolean {
    return client.redirectUris.includes(redirectUri);
  }

  isAllowedOrigin(origin: string): boolean {
    return this.#allowedOrigins.has(origin);
  }
}
