import type { ReactNode } from 'react';

/** A failed `useCozeQuery` in words, with a Retry button (renders nothing while there is no error). */
export function QueryError({ what, query }: { what: string; query: { error: Error | null; refetch(): Promise<unknown> } }): ReactNode {
  if (!query.error) return null;
  return (
    <div role="alert" className="demo-inline-error">
      <p>
        Could not load {what}: {query.error.message}
      </p>
      <button type="button" className="demo-btn demo-btn-small" onClick={() => void query.refetch()}>
        Retry
      </button>
    </div>
  );
}
