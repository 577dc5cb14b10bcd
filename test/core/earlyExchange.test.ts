import { beforeEach, describe, expect, it } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { rejection, sessionOptions, setupFakeCoze, landOnCallback } from '../helpers/harness';
import { flushAsync as settle } from '../../src/testing/index';

// A page that opens on a recognised callback sends the code exchange from the session's
// constructor, before the sign-in code (a lazy chunk) could; the flow then takes that request over.

const fake = setupFakeCoze();

describe('the early code exchange', () => {
  beforeEach(() => {
    fake.reset();
  });

  it('leaves when the session is created on its callback, and the sign-in completes on that one request', async () => {
    await landOnCallback(fake.state.model);
    const session = new CozeSession(sessionOptions());
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(1);

    const unmount = session.mount();
    await expect(session.handleRedirectCallback(window.location.href)).resolves.toEqual({ returnTo: '/after', alreadySignedIn: false });
    expect(session.getSnapshot().status).toBe('signed-in');
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(fake.state.model.counters.tokenErrors).toBe(0);
    unmount();
  });

  it('is sent once when StrictMode builds the session twice', async () => {
    await landOnCallback(fake.state.model);
    const discarded = new CozeSession(sessionOptions());
    const kept = new CozeSession(sessionOptions());
    await settle();
    expect(discarded.getSnapshot().status).toBe('signing-in');
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    const unmount = kept.mount();
    await expect(kept.handleRedirectCallback(window.location.href)).resolves.toMatchObject({ alreadySignedIn: false });
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    unmount();
  });

  it('is never sent for a state this tab did not start, or for another client', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set('state', 'f'.repeat(32));
    window.history.replaceState(null, '', tampered.href);
    new CozeSession(sessionOptions());
    window.history.replaceState(null, '', callbackUrl);
    new CozeSession(sessionOptions({ clientId: 'another-client' }));
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(0);
  });

  it('is never sent for an error redirect (a cancelled consent)', async () => {
    const starter = sessionOptions();
    const starterSession = new CozeSession(starter);
    await starterSession.login({});
    const denied = await fake.state.model.deny(starter.navigate.mock.calls[0]?.[0] as string);
    window.history.replaceState(null, '', denied);
    const session = new CozeSession(sessionOptions());
    await settle();
    expect(fake.state.model.counters.tokenExchange).toBe(0);
    expect((await rejection(session.handleRedirectCallback(denied))).code).toBe('access_denied');
  });

  it('a failed early request is the sign-in error (typed, nothing leaked), and the code is not sent twice', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const code = new URL(callbackUrl).searchParams.get('code') as string;
    fake.state.model.failNext('exchange', { status: 400 });
    const session = new CozeSession(sessionOptions());
    const error = await rejection(session.handleRedirectCallback(callbackUrl));
    expect(['invalid_grant', 'invalid_token_response']).toContain(error.code);
    expect(JSON.stringify({ message: error.message })).not.toContain(code);
    expect(fake.state.model.counters.tokenExchange).toBe(1);
    expect(session.getSnapshot().status).toBe('signed-out');
  });

  it('a verifier altered after the early request left is caught by the flow, which never uses that answer', async () => {
    const callbackUrl = await landOnCallback(fake.state.model);
    const session = new CozeSession(sessionOptions());
    const key = Object.keys(sessionStorage).find((name) => name.startsWith('coze-auth.tx.')) as string;
    const stored = JSON.parse(sessionStorage.getItem(key) as string) as Record<string, unknown>;
    sessionStorage.setItem(key, JSON.stringify({ ...stored, code_verifier: 'x'.repeat(43) }));
    const error = await rejection(session.handleRedirectCallback(callbackUrl));
    // The flow re-sends with the verifier it read (Coze rejects it): the early answer is not taken.
    expect(error.code).toBe('invalid_grant');
    expect(session.getSnapshot().status).toBe('signed-out');
  });
});
