import { useEffect, useState } from 'react';
import { useCozeSession, type CozeAuthEvent } from 'react-coze-auth';

interface Entry {
  id: number;
  at: Date;
  text: string;
}

function describe(event: CozeAuthEvent): string {
  switch (event.type) {
    case 'signed-in':
      return 'Signed in';
    case 'refreshed':
      return event.source === 'this-tab' ? 'Token refreshed' : 'Token refreshed by another tab';
    case 'refresh-retry':
      return `Refresh failed (${event.error.code}); retrying in ${Math.round(event.delayMs / 1000)} s`;
    case 'signed-out':
      return `Signed out (${event.reason})`;
    case 'storage-failed':
      return 'Could not save tokens; session kept in memory';
    case 'error':
      return `Error: ${event.error.code}`;
  }
}

export function EventLog() {
  const session = useCozeSession();
  const [entries, setEntries] = useState<Entry[]>([]);
  useEffect(() => {
    let id = 0;
    return session.onEvent((event) => {
      id += 1;
      const entry = { id, at: new Date(), text: describe(event) };
      setEntries((current) => [entry, ...current].slice(0, 12));
    });
  }, [session]);

  return (
    <section className="card" aria-labelledby="log-title">
      <h2 id="log-title">Session events</h2>
      {entries.length === 0 ? <p className="muted">Waiting for the first silent refresh…</p> : null}
      <ol className="log" data-testid="event-log">
        {entries.map((entry) => (
          <li key={entry.id}>
            <time className="muted small">{entry.at.toLocaleTimeString()}</time> {entry.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
