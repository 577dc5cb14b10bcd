import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { CozeAuthError } from '../../src/core/errors';
import { CozeSession, type CozeSessionOptions } from '../../src/core/session/CozeSession';
import type { TokenStorageAdapter } from '../../src/core/storage/storageAdapters';
import { createCozeModel, createTestClock, flushAsync, type CozeModel } from '../../src/testing/index';
import { cozeHandlers } from '../../src/testing/msw';

export const API_ORIGIN = 'https://api.coze.test';
export const WEB_ORIGIN = 'https://www.coze.test';
export const CLIENT_ID = 'test-client';

/** The jsdom page's own callback URL. */
export function redirectUri(): string {
  return `${window.location.origin}/callback`;
}

/** One MSW server for the file; each test gets a fresh model behind it. */
export function setupFakeCoze(modelOptions: Partial<Parameters<typeof createCozeModel>[0]> = {}) {
  const state: { model: CozeModel } = { model: undefined as unknown as CozeModel };
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  const reset = (extra: Partial<Parameters<typeof createCozeModel>[0]> = {}) => {
    state.model = createCozeModel({
      apiOrigin: API_ORIGIN,
      webOrigin: WEB_ORIGIN,
      clients: [{ clientId: CLIENT_ID, name: 'Test App', redirectUris: [redirectUri()] }],
      ...modelOptions,
      ...extra,
    });
    server.resetHandlers(...cozeHandlers(state.model));
    return state.model;
  };
  afterEach(() => {
    window.history.replaceState(null, '', '/');
  });
  return { state, server, reset };
}

/** Session options pointing at the fake Coze, with navigation captured instead of performed. */
export function sessionOptions(extra: Partial<CozeSessionOptions> = {}): CozeSessionOptions & { navigate: ReturnType<typeof vi.fn> } {
  return {
    clientId: CLIENT_ID,
    redirectUri: redirectUri(),
    baseURL: API_ORIGIN,
    webBaseURL: WEB_ORIGIN,
    navigate: vi.fn(),
    ...extra,
  } as CozeSessionOptions & { navigate: ReturnType<typeof vi.fn> };
}

/** Runs login → consent (approve) and returns the callback URL the browser would land on. */
export async function startSignIn(session: CozeSession, model: CozeModel, navigate: ReturnType<typeof vi.fn>, returnTo?: string): Promise<string> {
  navigate.mockClear();
  await session.login(returnTo === undefined ? {} : { returnTo });
  const authorizeUrl = navigate.mock.calls[0]?.[0] as string;
  return model.approve(authorizeUrl);
}

/** A full sign-in; the page "lands" on the callback URL first, like a real redirect. */
export async function signIn(session: CozeSession, model: CozeModel, navigate: ReturnType<typeof vi.fn>, returnTo?: string) {
  const callbackUrl = await startSignIn(session, model, navigate, returnTo);
  window.history.replaceState(null, '', callbackUrl);
  return session.handleRedirectCallback(callbackUrl);
}

/** A manual clock shared by the session and the fake Coze; see `createTestClock`. */
export function createManualClock(start = Date.now()) {
  const clock = createTestClock(start);
  return Object.assign(clock, { pending: () => clock.pendingTimers() });
}

/** Lets pending promise chains (MSW round trips included) run to completion. */
export const settle = flushAsync;

/** Awaits a promise that must reject with a CozeAuthError, and returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<CozeAuthError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CozeAuthError);
    return error as CozeAuthError;
  }
  throw new Error('expected a rejection');
}

/** An in-process stand-in for Web Locks (jsdom has none), shared by the sessions ("tabs") given it. */
export { createTestTabLocks as createLockRunner } from '../../src/testing/testTabLocks';

/**
 * A fetch whose token requests wait until released, like a slow token endpoint. With
 * `refreshOnly`, code exchanges go straight through and only refresh_token grants wait.
 */
export function gatedFetch({ refreshOnly = false }: { refreshOnly?: boolean } = {}) {
  const waiting: (() => void)[] = [];
  let gated = false;
  const fetch = async (input: string, init: RequestInit) => {
    const isRefresh = typeof init.body === 'string' && init.body.includes('"refresh_token"');
    if (gated && (!refreshOnly || isRefresh)) await new Promise<void>((resolve) => waiting.push(resolve));
    return globalThis.fetch(input, init);
  };
  return {
    fetch,
    hold: () => void (gated = true),
    release: async () => {
      gated = false;
      waiting.splice(0).forEach((go) => go());
      await settle();
    },
    pending: () => waiting.length,
  };
}

/** A token storage adapter over `items`, shared across tabs (like localStorage) or not; `view` is what this tab reads. */
export function mapAdapter(items: Map<string, string>, shared: boolean, view: () => Map<string, string> = () => items): TokenStorageAdapter {
  return {
    getItem: (key) => view().get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    sharedAcrossTabs: shared,
  };
}
