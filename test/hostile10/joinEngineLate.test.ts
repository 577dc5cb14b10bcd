// Hostile review 10: joining another session's callback before the session engine chunk has
// arrived (test/helpers/lazyEngine.ts holds its import at a gate). `held:` tests pin what held.
import { afterEach, describe, expect, it } from 'vitest';
import type { CozeAuthEvent } from '../../src/core/session/types';
import { flushAsync as settle, TEST_CLIENT_ID } from '../../src/testing/index';
import { gatedFetch, landOnCallback, sessionOptions, setupFakeCoze } from '../helpers/harness';
import { gateSessionEngine } from '../helpers/lazyEngine';

const fake = setupFakeCoze();
const engine = gateSessionEngine();
const TOKENS_KEY = `coze-auth.tokens.${TEST_CLIENT_ID}`;
const cleanups: (() => void)[] = [];

afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

describe('hostile10: joining before the engine arrives', () => {
  it('held: the joiner signs out before the engine arrives: the owner’s sign-in is ended once it lands, nothing stored, one exchange', async () => {
    const model = fake.reset();
    const slow = gatedFetch();
    slow.hold();
    await landOnCallback(model, '/after');
    const Session = await engine.freshSessionClass();
    const options = sessionOptions({ fetch: slow.fetch });
    const owner = new Session(options);
    cleanups.push(owner.mount());
    const joiner = new Session(options);
    const events: CozeAuthEvent[] = [];
    joiner.onEvent((event) => events.push(event));
    cleanups.push(joiner.mount());
    expect(joiner.getSnapshot().status).toBe('signing-in');
    joiner.logout();
    expect(joiner.getSnapshot().status).toBe('signed-out');
    engine.open();
    await settle();
    await slow.release();
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(owner.getSnapshot().status).toBe('signed-out');
    expect(joiner.getSnapshot().status).toBe('signed-out');
    expect(sessionStorage.getItem(TOKENS_KEY)).toBeNull();
    expect(events.filter((event) => event.type === 'signed-in')).toEqual([]);
    // Since hostile review 14 the joiner's sign-out reaches the owner at once, whose pending
    // exchange (sent at construction, held on the wire) is aborted before it reaches Coze: the code
    // is never spent (it was 1 before: spent, then its answer discarded).
    expect(model.counters.tokenExchange).toBe(0);
  });

  it('held: the engine chunk fails for owner and joiner alike: both signed out with the one network_error, one error event each', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/after');
    const Session = await engine.freshSessionClass();
    const options = sessionOptions();
    const owner = new Session(options);
    cleanups.push(owner.mount());
    const joiner = new Session(options);
    const events: CozeAuthEvent[] = [];
    joiner.onEvent((event) => events.push(event));
    cleanups.push(joiner.mount());
    const callback = joiner.handleRedirectCallback().catch((error: unknown) => error);
    engine.failLoad = true;
    engine.open();
    expect(await callback).toMatchObject({ code: 'network_error' });
    await settle();
    expect(owner.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'network_error' } });
    expect(joiner.getSnapshot()).toMatchObject({ status: 'signed-out', error: { code: 'network_error' } });
    expect(events.map((event) => event.type)).toEqual(['error']);
  });
});
