/** First element of every `useCozeQuery` key; `removeQueries({ queryKey: [COZE_QUERY_SCOPE] })` clears them all. */
export const COZE_QUERY_SCOPE = 'coze';

/** The full query key `useCozeQuery` uses: scoped to Coze and to one signed-in session. */
export function cozeQueryKey(sessionId: string | undefined, key: readonly unknown[]): readonly unknown[] {
  return [COZE_QUERY_SCOPE, sessionId ?? 'signed-out', ...key];
}
