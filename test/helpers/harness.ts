import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import type { Clock } from '../../src/core/clock';
import type { LockRunner } from '../../src/core/browser/lock';
import { CozeSession, type CozeSessionOptions } from '../../src/core/session/CozeSession';
import { cozeHandlers, createCozeModel, type CozeModel } from '../../src/testing/index';

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

/** A manual clock: time moves only when the test says so; timers fire on `advance`. */
export function createManualClock(start = Date.now()): Clock & { advance(ms: number): Promise<void>; set(ms: number): void; pending(): number } {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  const clock = {
    now: () => now,
    setTimeout(run: () => void, delay: number) {
      const id = nextId++;
      timers.set(id, { at: now + delay, run });
      return id;
    },
    clearTimeout(handle: unknown) {
      timers.delete(handle as number);
    },
    set(ms: number) {
      now = ms;
    },
    pending: () => timers.size,
    async advance(ms: number) {
      const target = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].run();
        await settle();
      }
      now = target;
      await settle();
    },
  };
  return clock;
}

/** Lets pending promise chains (MSW round trips included) run to completion. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** An in-process stand-in for Web Locks (jsdom has none): one holder per name, FIFO. */
export function createLockRunner(): LockRunner {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(name) ?? Promise.resolve();
    const run = previous.then(task, task);
    tails.set(name, run.catch(() => undefined));
    return run;
  };
}
