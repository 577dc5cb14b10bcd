// Hostile review 8, React side. <RequireCozeAuth> re-reads the live snapshot in its effect because
// "a <CozeCallback> effect that ran first may have started signing in": it relies on
// handleRedirectCallback() making the state `signing-in` synchronously, which the thin shell no
// longer does (the engine dispatches `callback-started`, at the earliest a few microtasks later).
// The engine is preloaded here (test/setup.ts), as on any page after the first.
import { render, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CozeSession } from '../../src/core/session/CozeSession';
import { CozeAuthProvider, CozeCallback, RequireCozeAuth } from '../../src/react/index';
import { flushAsync } from '../../src/testing/index';
import { landOnCallback, sessionOptions, setupFakeCoze } from '../helpers/harness';

const fake = setupFakeCoze();

/** Renders <CozeCallback> beside a <RequireCozeAuth> guard and waits until the callback left for `/after`. */
async function completeBesideAGuard(session: CozeSession): Promise<void> {
  const onSuccess = vi.fn();
  render(
    <CozeAuthProvider session={session}>
      <CozeCallback onSuccess={onSuccess} />
      <RequireCozeAuth>
        <p>protected</p>
      </RequireCozeAuth>
    </CozeAuthProvider>,
  );
  await waitFor(() => expect(onSuccess).toHaveBeenCalledWith('/after'));
  await flushAsync();
}

describe('hostile8: <RequireCozeAuth> beside a <CozeCallback> whose callback the session did not recognise at construction', () => {
  // A static host that normalises `/callback` to `/callback/` (a 301 keeping the query) lands the
  // browser on a path recognizeCallback() does not match exactly, so the session starts
  // `signed-out`; <CozeCallback> completes the callback anyway (the flow does not check the path).
  // Its effect runs first and calls handleRedirectCallback(); at ef08183 that made the state
  // `signing-in` before <RequireCozeAuth>'s effect looked, so the guard waited. Now the guard
  // still sees `signed-out` and calls login(): the page leaves for Coze again in the middle of a
  // sign-in (every time the user comes back: a redirect loop).
  it('fixed: the guard does not start a second sign-in while <CozeCallback> completes one (trailing-slash callback path)', async () => {
    const model = fake.reset();
    const callbackUrl = new URL(await landOnCallback(model, '/after'));
    callbackUrl.pathname = `${callbackUrl.pathname}/`;
    window.history.replaceState(null, '', callbackUrl.href);
    const options = sessionOptions();
    const session = new CozeSession(options);
    expect(session.getSnapshot().status).toBe('signed-out'); // not recognised at construction
    await completeBesideAGuard(session);
    expect(session.getSnapshot().status).toBe('signed-in');
    expect(options.navigate, 'no second trip to Coze while the callback completes').not.toHaveBeenCalled();
  });

  it('held: the same page on the exact callback path (recognised at construction): no second sign-in', async () => {
    const model = fake.reset();
    await landOnCallback(model, '/after');
    const options = sessionOptions();
    const session = new CozeSession(options);
    await completeBesideAGuard(session);
    expect(options.navigate).not.toHaveBeenCalled();
  });
});
