import type { CozeAuthEvent, CozeAuthStatus } from 'react-coze-auth';

/** A session event in words, as an app would log it (events never carry tokens). */
export function describeAuthEvent(event: CozeAuthEvent): string {
  switch (event.type) {
    case 'signed-in':
      return event.source === 'this-tab' ? 'Signed in' : 'Signed in by another tab';
    case 'refreshed':
      return event.source === 'this-tab' ? 'Token refreshed' : 'Token refreshed by another tab';
    case 'refresh-retry':
      return `Refresh failed (${event.error.code}), retry ${event.attempt} in ${Math.round(event.delayMs / 1000)} s`;
    case 'signed-out':
      return `Signed out (${event.reason}${event.error ? `: ${event.error.code}` : ''})`;
    case 'storage-failed':
      return 'Could not save tokens; session kept in memory';
    case 'error':
      return `Error: ${event.error.code}`;
  }
}

/** The sign-in status for a chip in the app's top bar. */
export function authStatusLabel(status: CozeAuthStatus): string {
  // `loading`: worker mode, until the vault answers (and server rendering).
  return status === 'signed-in' ? 'Signed in' : status === 'signing-in' ? 'Signing in…' : status === 'loading' ? 'Loading…' : 'Signed out';
}
