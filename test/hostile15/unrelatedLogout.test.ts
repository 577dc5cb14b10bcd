// Hostile review 15: logout() of a session that joined nothing and was built on no callback must
// not reach another session's sign-in. Separate storages and separate tab buses: only the
// callback registry could connect the two sessions.
import { afterEach, describe, expect, it } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { flushAsync as settle } from '../../src/testing/index';
import { createTabBus, landOnCallback, mapAdapter, sessionOptions, setupFakeCoze, signIn } from '../helpers/harness';

const fake = setupFakeCoze();
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('hostile15: logout() of an unrelated session', () => {
  it('held: a second provider signed in on its own logs out: the callback starter’s sign-in lives on', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/after');
    const starter = new CozeSession(sessionOptions({ tokenStorage: mapAdapter(new Map(), false), tabChannel: createTabBus().channel() }));
    cleanups.push(starter.mount());
    await starter.handleRedirectCallback();
    expect(starter.getSnapshot().status).toBe('signed-in');
    const options = sessionOptions({ tokenStorage: mapAdapter(new Map(), false), tabChannel: createTabBus().channel() });
    const other = new CozeSession(options);
    cleanups.push(other.mount());
    await signIn(other, model, options.navigate);
    await settle();
    expect(other.getSnapshot().status).toBe('signed-in');
    other.logout();
    await settle();
    expect(other.getSnapshot().status).toBe('signed-out');
    expect(starter.getSnapshot().status).toBe('signed-in');
  });
});
