import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { CozeAuthError } from '../../src/core/errors';
import { forgetCallbacksInFlight } from '../../src/core/session/callbackRegistry';
import { CozeSession, type CozeSessionOptions } from '../../src/core/session/CozeSession';
import type { CozeAuthEvent } from '../../src/core/session/types';
import type { TokenStorageAdapter } from '../../src/core/storage/storageAdapters';
import type { TabChannel, TabMessage } from '../../src/core/browser/tabChannel';
import { createTestClock, createTestCozeModel, flushAsync, testSessionOptions, type CozeModel, type TestCozeModelOptions } from '../../src/testing/index';
import { cozeHandlers } from '../../src/testing/msw';

// Session tests on the public kit (react-coze-auth/testing): its constants, model and session
// options, with MSW as the transport so that sessions use the real `fetch` the way an app does.

/** One MSW server for the file; each test gets a fresh model (`createTestCozeModel`) behind it. */
export function setupFakeCoze(modelOptions: TestCozeModelOptions = {}) {
  const state: { model: CozeModel } = { model: undefined as unknown as CozeModel };
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  const reset = (extra: TestCozeModelOptions = {}) => {
    forgetCallbacksInFlight(); // a fresh page: no callback of an earlier test to join
    state.model = createTestCozeModel({ ...modelOptions, ...extra });
    server.resetHandlers(...cozeHandlers(state.model));
    return state.model;
  };
  afterEach(() => {
    window.history.replaceState(null, '', '/');
  });
  return { state, server, reset };
}

/** The kit's `testSessionOptions`, with navigation captured by a mock instead of performed. */
export function sessionOptions(extra: Partial<CozeSessionOptions> = {}): CozeSessionOptions & { navigate: ReturnType<typeof vi.fn> } {
  return testSessionOptions({ navigate: vi.fn(), ...extra }) as CozeSessionOptions & { navigate: ReturnType<typeof vi.fn> };
}

/** Runs login → consent (approve) and returns the callback URL the browser would land on. */
export async function startSignIn(session: CozeSession, model: CozeModel, navigate: ReturnType<typeof vi.fn>, returnTo?: string): Promise<string> {
  navigate.mockClear();
  await session.login(returnTo === undefined ? {} : { returnTo });
  const authorizeUrl = navigate.mock.calls[0]?.[0] as string;
  return model.approve(authorizeUrl);
}

/** Starts a sign-in in a throwaway session and lands this page on Coze's redirect, as the browser would. */
export async function landOnCallback(model: CozeModel, returnTo = '/after'): Promise<string> {
  const options = sessionOptions();
  const callbackUrl = await startSignIn(new CozeSession(options), model, options.navigate, returnTo);
  window.history.replaceState(null, '', callbackUrl);
  return callbackUrl;
}

/** A full sign-in; the page "lands" on the callback URL first, like a real redirect. */
export async function signIn(session: CozeSession, model: CozeModel, navigate: ReturnType<typeof vi.fn>, returnTo?: string) {
  const callbackUrl = await startSignIn(session, model, navigate, returnTo);
  window.history.replaceState(null, '', callbackUrl);
  return session.handleRedirectCallback(callbackUrl);
}

/**
 * The opening of most session tests: a fresh model and a session on one test clock starting at
 * `start`, signed in through login → consent → callback. `extra` adds session options.
 */
export async function signedInSession(
  fake: ReturnType<typeof setupFakeCoze>,
  { start, accessTokenTtlSeconds, ...extra }: { start: number; accessTokenTtlSeconds?: number } & Partial<CozeSessionOptions>,
) {
  const clock = createTestClock(start);
  const model = fake.reset({ now: clock.now, ...(accessTokenTtlSeconds === undefined ? {} : { accessTokenTtlSeconds }) });
  const options = sessionOptions({ clock, ...extra });
  const session = new CozeSession(options);
  await signIn(session, model, options.navigate);
  return { clock, model, options, session };
}

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
      await flushAsync();
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

/**
 * An in-memory BroadcastChannel for a test's "tabs": `channel()` gives each tab its own end, and a
 * post reaches the other tabs subscribed at that moment (like the real one), as a structured clone.
 * `log` keeps every post; a channel's `subscriptions` counts its subscribe calls.
 */
export function createTabBus() {
  const listeners = new Set<(message: TabMessage) => void>();
  const log: TabMessage[] = [];
  const channel = (): TabChannel & { subscriptions: number } => {
    const own = new Set<(message: TabMessage) => void>();
    const tab = {
      subscriptions: 0,
      post(message: TabMessage) {
        log.push(message);
        const copy = structuredClone(message);
        for (const listener of [...listeners]) if (!own.has(listener)) listener(copy);
      },
      subscribe(listener: (message: TabMessage) => void) {
        tab.subscriptions += 1;
        own.add(listener);
        listeners.add(listener);
        return () => {
          own.delete(listener);
          listeners.delete(listener);
        };
      },
    };
    return tab;
  };
  return { channel, log };
}

/** Every lifecycle event `session` emits from now on, oldest first. */
export function recordEvents(session: { onEvent(listener: (event: CozeAuthEvent) => void): () => void }): CozeAuthEvent[] {
  const events: CozeAuthEvent[] = [];
  session.onEvent((event) => events.push(event));
  return events;
}

/** The types of `events`, in order. */
export const typesOf = (events: readonly CozeAuthEvent[]) => events.map((event) => event.type);

/** How a promise settled: its value, or its error's code. */
export type Outcome = { ok: true; result: unknown } | { ok: false; code: string | undefined };

/** `promise`'s {@link Outcome}, never rejecting. */
export const outcome = (promise: Promise<unknown>): Promise<Outcome> =>
  promise.then(
    (result) => ({ ok: true as const, result }),
    (error: { code?: string }) => ({ ok: false as const, code: error.code }),
  );
