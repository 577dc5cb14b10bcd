import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CozeAuthError } from '../../src/core/errors';
import { createTestCozeAuth } from '../../src/testing/index';

const VIEW = ['../../src/react/AuthErrorNotice', '../../src/react/AuthErrorNotice.js'];

afterEach(() => {
  for (const path of VIEW) vi.doUnmock(path);
  vi.resetModules();
});

describe('hostile4: LazyAuthErrorNotice', () => {
  // Its own doc: PlainNotice is "the plainest notice, from the initial chunk alone: while the real
  // one loads, or if it cannot". While the chunk downloads (slow network) nothing is rendered: an
  // error the user must act on is invisible, and no role="alert" is announced.
  it('shows the plain notice while the real one is still loading', async () => {
    vi.resetModules();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    for (const path of VIEW) {
      vi.doMock(path, async (importOriginal) => {
        await gate;
        return importOriginal();
      });
    }
    const { LazyAuthErrorNotice } = await import('../../src/react/LazyAuthErrorNotice');
    const { CozeAuthProvider } = await import('../../src/react/CozeAuthProvider');
    const auth = await createTestCozeAuth({ state: 'signed-out' });
    const error = new CozeAuthError('access_denied', 'You cancelled the sign-in.');
    render(
      <CozeAuthProvider session={auth.session}>
        <LazyAuthErrorNotice error={error} login={() => Promise.resolve()} />
      </CozeAuthProvider>,
    );
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    const visibleWhileLoading = screen.queryByRole('alert') !== null;
    release();
    expect(await screen.findByRole('alert')).toBeTruthy(); // the real notice arrives once its chunk does
    expect(visibleWhileLoading).toBe(true);
  });
});
