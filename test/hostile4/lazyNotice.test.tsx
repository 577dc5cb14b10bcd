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
  // The review found the doc promising the plain notice while the real one loads, where nothing
  // was rendered. Decided: nothing while the chunk downloads (the plain notice shows
  // `error.message`, English for developers, which a zh-CN user would see flash and a screen
  // reader would announce twice); the doc now says so, and this pins it: no alert until the real,
  // localised one arrives.
  it('announces nothing while its chunk loads, then the real (localised) notice', async () => {
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
    const alert = await screen.findByRole('alert'); // the real notice arrives once its chunk does
    expect(alert.textContent).not.toContain('You cancelled the sign-in.');
    expect(visibleWhileLoading).toBe(false);
  });
});
