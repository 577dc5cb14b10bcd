// Hostile review 2: i18n and the lazily loaded error notice.
import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeCozeAuthError } from '../../src/i18n';
import { sessionOptions, setupFakeCoze } from '../helpers/harness';

setupFakeCoze();

afterEach(() => {
  vi.doUnmock('../../src/react/AuthErrorNotice');
  vi.doUnmock('../../src/react/AuthErrorNotice.js');
  vi.resetModules();
});

describe('hostile2: describeCozeAuthError', () => {
  it('an unknown code falls back to the generic text the app overrode, not the library default', () => {
    const overrides = { errors: { authorization_error: { title: 'Custom title', description: 'Custom generic failure' } } };
    const text = describeCozeAuthError({ code: 'some_future_code' as never }, 'en', overrides);
    expect(text.description).toBe('Custom generic failure');
  });

  it('an unknown code that names an Object.prototype member still gets text', () => {
    const text = describeCozeAuthError({ code: 'constructor' as never }, 'en');
    expect(typeof text.title).toBe('string');
    expect(typeof text.description).toBe('string');
  });
});

describe('hostile2: locale', () => {
  it('when its chunk fails to load, the callback still tells the user something (no crash, no blank)', async () => {
    vi.resetModules();
    vi.doMock('../../src/react/AuthErrorNotice.js', () => {
      throw new Error('Failed to fetch dynamically imported module');
    });
    vi.doMock('../../src/react/AuthErrorNotice', () => {
      throw new Error('Failed to fetch dynamically imported module');
    });
    const lib = await import('../../src/react/index');
    const { CozeSession: FreshSession } = await import('../../src/core/session/CozeSession');
    window.history.replaceState(null, '', '/callback?code=c&state=nobody-started-this');
    const uncaught: unknown[] = [];
    const onError = (event: ErrorEvent) => {
      uncaught.push(event.error);
      event.preventDefault();
    };
    window.addEventListener('error', onError);
    try {
      render(
        <lib.CozeAuthProvider session={new FreshSession(sessionOptions())} locale="en">
          <main data-testid="app">
            <lib.CozeCallback />
          </main>
        </lib.CozeAuthProvider>,
      );
      await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      window.removeEventListener('error', onError);
    }
    // The rest of the app must survive, and the user must be told that sign-in failed. (In
    // development React also reports an error its boundary caught as a window error event, so
    // `uncaught` may hold the failed import itself; what matters is that nothing went blank.)
    expect(uncaught.every((error) => String((error as Error | undefined)?.message ?? error).includes('dynamically imported module') || String((error as { cause?: Error } | undefined)?.cause?.message).includes('dynamically imported module'))).toBe(true);
    expect(screen.queryByTestId('app')).not.toBeNull();
    expect(screen.getByRole('alert').textContent).not.toBe('');
  });
});
