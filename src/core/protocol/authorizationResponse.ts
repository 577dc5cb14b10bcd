import { CozeAuthError } from '../errors.js';

// Only the code exchange reads the whole response; recognising a callback needs just its state
// (callbackUrl.ts), so this lives in the lazily loaded sign-in code.

/** What Coze put on the redirect URL. */
export interface CallbackParams {
  state: string;
  code: string | undefined;
  error: string | undefined;
  errorDescription: string | undefined;
}

/**
 * Reads an authorization response (RFC 6749 §4.1.2) from the redirect URL. Synchronous on purpose:
 * callers key their single-flight map on `state` before anything is awaited.
 */
export function parseCallbackUrl(url: string): CallbackParams {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CozeAuthError('invalid_callback_url', 'The sign-in callback URL could not be parsed.');
  }
  const params = parsed.searchParams;
  const state = params.get('state');
  const code = params.get('code') || undefined;
  const error = params.get('error') || undefined;
  if (!state) {
    const what = code || error ? 'has no state' : 'has no authorization response (code/state)';
    throw new CozeAuthError('invalid_callback_url', `The sign-in callback URL ${what}.`);
  }
  if (!code && !error) {
    throw new CozeAuthError('invalid_callback_url', 'The sign-in callback URL has no code.');
  }
  return { state, code, error, errorDescription: params.get('error_description') || undefined };
}
