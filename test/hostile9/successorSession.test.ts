// A new session of the same client built while another session of this page is exchanging the
// callback's code: a provider remounted with a new session (a `key` change, HMR, options that
// changed), or two providers of one client. Before this, the newcomer found the address bar
// already cleaned, started signed out, and stayed there (or, on the callback page, showed an error)
// while its predecessor signed the tab in behind it; with both mounted it stayed `signing-in`.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { createTestCozeAuth, flushAsync as settle, flushAsync as flushTestAsync, TEST_CLIENT_ID } from '../../src/testing/index';
import { gatedFetch, landOnCallback, recordEvents, sessionOptions, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();
const TOKENS_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

/** A session on the callback page whose exchange is on the wire (held), unmounted: the predecessor. */
async function predecessorMidExchange(options = sessionOptions()) {
  const slow = gatedFetch();
  slow.hold();
  await landOnCallback(fake.state.model, '/after');
  const first = new CozeSession({ ...options, fetch: slow.fetch });
  const unmount = first.mount();
  await settle();
  return { first, slow, unmount, options: { ...options, fetch: slow.fetch } };
}

describe('hostile9: a successor session while its predecessor exchanges the code', () => {
  it('fixed: a provider remounted with a new session mid-exchange: the new one signs in and its callback resolves', async () => {
    fake.reset();
    const { slow, unmount, options } = await predecessorMidExchange();
    unmount();
    const second = new CozeSession(options);
    const events = recordEvents(second);
    cleanups.push(second.mount());
    expect(second.getSnapshot().status).toBe('signing-in');
    const callback = second.handleRedirectCallback(globalThis.location.href);
    await slow.release();
    await expect(callback).resolves.toEqual({ returnTo: '/after', alreadySignedIn: false });
    expect(second.getSnapshot().status).toBe('signed-in');
    await expect(second.getToken()).resolves.toBe(second.getSnapshot().accessToken);
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(events.filter((event) => event.type === 'signed-in')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'error')).toEqual([]);
  });

  it('fixed: two mounted sessions of one client on the callback page: both end signed in with the same sign-in', async () => {
    fake.reset();
    const { first, slow, unmount, options } = await predecessorMidExchange();
    cleanups.push(unmount);
    const second = new CozeSession(options);
    cleanups.push(second.mount());
    await slow.release();
    await vi.waitFor(() => expect(second.getSnapshot().status).toBe('signed-in'), { timeout: 3_000 });
    expect(first.getSnapshot().status).toBe('signed-in');
    expect(second.getSnapshot().sessionId).toBe(first.getSnapshot().sessionId);
    expect(fake.state.model.counters.tokenExchange).toBe(1);
  });

  it('fixed: getToken() on the successor waits for the predecessor’s exchange instead of rejecting login_required', async () => {
    fake.reset();
    const { slow, unmount, options } = await predecessorMidExchange();
    unmount();
    const second = new CozeSession(options);
    cleanups.push(second.mount());
    const token = second.getToken();
    await slow.release();
    await expect(token).resolves.toBe(second.getSnapshot().accessToken);
  });

  it('fixed: the successor logs out while the predecessor exchanges: the sign-in that lands is ended, nothing stored', async () => {
    fake.reset();
    const { first, slow, unmount, options } = await predecessorMidExchange();
    unmount();
    const second = new CozeSession(options);
    cleanups.push(second.mount());
    const callback = second.handleRedirectCallback().catch((error: { code?: string }) => error);
    await settle();
    second.logout();
    await slow.release();
    await settle();
    expect(await callback).toMatchObject({ code: 'login_required' });
    expect(second.getSnapshot().status).toBe('signed-out');
    expect(first.getSnapshot().status).toBe('signed-out');
    expect(sessionStorage.getItem(TOKENS_KEY)).toBeNull();
  });

  it('fixed: the predecessor’s exchange fails: the successor ends signed out with that typed error, not signing-in', async () => {
    fake.reset();
    const { slow, unmount, options } = await predecessorMidExchange();
    fake.state.model.failNext('exchange', { status: 400 });
    unmount();
    const second = new CozeSession(options);
    const events = recordEvents(second);
    cleanups.push(second.mount());
    const callback = second.handleRedirectCallback().catch((error: unknown) => error);
    await slow.release();
    expect(await callback).toMatchObject({ name: 'CozeAuthError', code: 'invalid_grant' });
    expect(second.getSnapshot().status).toBe('signed-out');
    expect(second.getSnapshot().error).toMatchObject({ code: 'invalid_grant' });
    expect(events.filter((event) => event.type === 'error')).toHaveLength(1);
  });

  it('fixed: a successor built mid-exchange but mounted only after it finished: signed in, not left signing-in', async () => {
    fake.reset();
    const { slow, unmount, options } = await predecessorMidExchange();
    unmount();
    const second = new CozeSession(options);
    expect(second.getSnapshot().status).toBe('signing-in');
    await slow.release();
    await settle();
    cleanups.push(second.mount());
    await expect(second.handleRedirectCallback()).resolves.toEqual({ returnTo: '/after', alreadySignedIn: false });
    expect(second.getSnapshot().status).toBe('signed-in');
  });

  it('fixed: a callback left on the wire by an earlier test world is not joined by the next (the kit starts a fresh page)', async () => {
    const stuck = await createTestCozeAuth({ state: 'signed-out' });
    const callbackUrl = await stuck.prepareCallback({ returnTo: '/a' });
    stuck.model.setLatency(24 * 60 * 60 * 1000);
    const unmount = stuck.session.mount();
    void stuck.session.handleRedirectCallback(callbackUrl).catch(() => undefined);
    await flushTestAsync();
    expect(stuck.session.getSnapshot().status).toBe('signing-in');
    unmount();
    const next = await createTestCozeAuth({ state: 'signed-out' });
    expect(next.session.getSnapshot().status).toBe('signed-out');
  });

  it('held: a session built after the exchange finished starts signed in from storage (no join)', async () => {
    fake.reset();
    const { first, slow, unmount, options } = await predecessorMidExchange();
    await slow.release();
    await vi.waitFor(() => expect(first.getSnapshot().status).toBe('signed-in'), { timeout: 3_000 });
    unmount();
    const second = new CozeSession(options);
    expect(second.getSnapshot().status).toBe('signed-in');
    expect(second.getSnapshot().sessionId).toBe(first.getSnapshot().sessionId);
  });
});
