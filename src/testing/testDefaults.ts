import type { CozeSessionOptions } from '../core/session/CozeSession.js';
import type { FetchLike } from '../core/protocol/tokenClient.js';
import { createCozeModel } from './server/createCozeModel.js';
import { NETWORK_ERROR } from './server/networkError.js';
import type { CozeModel, CozeModelOptions } from './server/types.js';

/** The fake Coze's API origin in tests (token endpoint, OpenAPI). */
export const TEST_API_ORIGIN = 'https://api.coze.test';
/** The fake Coze's web origin in tests (authorize and consent pages). */
export const TEST_WEB_ORIGIN = 'https://www.coze.test';
/** The OAuth app the fake Coze knows in tests. */
export const TEST_CLIENT_ID = 'test-client';

/** The app's callback URL: `/callback` on this page's origin (`http://localhost` outside a browser). */
export function testRedirectUri(origin: string = globalThis.location?.origin ?? 'http://localhost'): string {
  return `${origin}/callback`;
}

/** Options of {@link createTestCozeModel}: any model option, plus the app's redirect URL. */
export interface TestCozeModelOptions extends Partial<CozeModelOptions> {
  /** The redirect URL registered for {@link TEST_CLIENT_ID}. Default {@link testRedirectUri}(). */
  redirectUri?: string;
}

/**
 * A fake Coze on {@link TEST_API_ORIGIN} and {@link TEST_WEB_ORIGIN} that knows one app,
 * {@link TEST_CLIENT_ID} ("Test app"), redirecting to `redirectUri`. Other options are passed on.
 */
export function createTestCozeModel({ redirectUri = testRedirectUri(), ...options }: TestCozeModelOptions = {}): CozeModel {
  return createCozeModel({
    apiOrigin: TEST_API_ORIGIN,
    webOrigin: TEST_WEB_ORIGIN,
    clients: [{ clientId: TEST_CLIENT_ID, name: 'Test app', redirectUris: [redirectUri] }],
    ...options,
  });
}

/** `CozeSession` options for the app {@link createTestCozeModel} knows; `extra` overrides or adds any. */
export function testSessionOptions(extra: Partial<CozeSessionOptions> = {}): CozeSessionOptions {
  return { clientId: TEST_CLIENT_ID, redirectUri: testRedirectUri(), baseURL: TEST_API_ORIGIN, webBaseURL: TEST_WEB_ORIGIN, ...extra };
}

/** A `fetch` answered by `model` in memory: no network, no MSW; a dropped connection rejects as fetch does. */
export function modelFetch(model: CozeModel): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    const answer = await model.handle(request);
    if (answer === NETWORK_ERROR) throw new TypeError('Failed to fetch');
    if (!answer) throw new TypeError(`Failed to fetch (no fake Coze route for ${new URL(request.url).pathname})`);
    return answer;
  };
}
