import { CozeAuthError } from '../errors.js';

// Small helpers of CozeSession that need none of its state.

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

// The sign-in flow, with oidc-client-ts, loads on demand (the bundler fetches its chunks together).
let signInFlowModule: Promise<typeof import('./signInFlow.js')> | undefined;
export function loadSignInFlow(): Promise<typeof import('./signInFlow.js')> {
  if (!signInFlowModule) {
    signInFlowModule = import('./signInFlow.js').catch((cause: unknown) => {
      signInFlowModule = undefined;
      throw new CozeAuthError('network_error', 'Could not load the sign-in code.', { cause });
    });
  }
  return signInFlowModule;
}
