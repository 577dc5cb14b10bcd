import { useState, type ReactNode } from 'react';
import type { User } from '@coze/api';
import { useCozeClient } from '../../src/index';

/** An imperative call with `useCozeClient()`: the client's token is a getter, so it is always fresh. */
export function WhoAmI(): ReactNode {
  const client = useCozeClient();
  const [result, setResult] = useState<{ user?: User; error?: string; pending?: boolean }>({});
  const ask = async () => {
    setResult({ pending: true });
    try {
      setResult({ user: await client.users.me() });
    } catch (error) {
      setResult({ error: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <section className="demo-card" aria-labelledby="whoami-title">
      <h2 id="whoami-title" className="demo-card-title">
        Direct API call
      </h2>
      <p className="demo-muted demo-small">
        <code>const client = useCozeClient();</code> then <code>await client.users.me()</code> in an event handler.
      </p>
      <button type="button" className="demo-btn demo-btn-primary" onClick={() => void ask()} disabled={result.pending}>
        {result.pending ? 'Asking Coze…' : 'Ask Coze who I am'}
      </button>
      <div aria-live="polite">
        {result.user ? (
          <p className="demo-result" data-testid="whoami-result">
            Coze says you are <strong>{result.user.nick_name}</strong> (@{result.user.user_name}).
          </p>
        ) : null}
        {result.error ? (
          <p role="alert" className="demo-inline-error">
            {result.error}
          </p>
        ) : null}
      </div>
    </section>
  );
}
