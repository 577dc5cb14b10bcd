import { CozeAuthError } from '../errors.js';

// Small helpers of CozeSession that need none of its state.

// The token client is needed only when a refresh is due, so it is loaded on demand (and
// prefetched on mount while signed in, so a refresh while offline does not depend on loading it).
let tokenClientModule: Promise<typeof import('../protocol/tokenClient.js')> | undefined;
export function loadTokenClient(): Promise<typeof import('../protocol/tokenClient.js')> {
  tokenClientModule ??= import('../protocol/tokenClient.js').catch((cause: unknown) => {
    tokenClientModule = undefined;
    throw new CozeAuthError('network_error', 'Could not load the token client.', { cause });
  });
  return tokenClientModule;
}

export function randomId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function notSignedIn(): CozeAuthError {
  return new CozeAuthError('login_required', 'Not signed in to Coze.');
}

export function toCozeAuthError(error: unknown): CozeAuthError {
  if (error instanceof CozeAuthError) return error;
  return new CozeAuthError('authorization_error', 'Sign-in failed unexpectedly.', { cause: error });
}

/** Reports an app listener's exception without letting it change the session's course. */
export function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (report) report(error);
  else globalThis.setTimeout(() => { throw error; }, 0);
}

// The sign-in flow and oidc-client-ts are two chunks; fetched together, not one after the other.
let signInFlowModule: Promise<typeof import('./signInFlow.js')> | undefined;
export function loadSignInFlow(): Promise<typeof import('./signInFlow.js')> {
  if (!signInFlowModule) {
    void import('oidc-client-ts').catch(() => undefined);
    signInFlowModule = import('./signInFlow.js').catch((cause: unknown) => {
      signInFlowModule = undefined;
      throw new CozeAuthError('network_error', 'Could not load the sign-in code.', { cause });
    });
  }
  return signInFlowModule;
}
