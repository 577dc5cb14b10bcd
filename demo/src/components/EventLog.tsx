import { useContext, useEffect, useState, type ReactNode } from 'react';
import { useCozeSession, type CozeAuthEvent } from 'react-coze-auth';
import { describeAuthEvent } from './describeAuthEvent';
import { NowContext } from './useNow';

interface Entry {
  id: number;
  at: number;
  kind: CozeAuthEvent['type'];
  text: string;
}

/**
 * Lifecycle events from `useCozeSession().onEvent`: what an app would send to its logs. Times come
 * from `NowContext` (the story simulator's clock in Storybook, `Date.now` in the demo).
 */
export function EventLog(): ReactNode {
  const session = useCozeSession();
  const now = useContext(NowContext);
  const [entries, setEntries] = useState<Entry[]>([]);
  useEffect(() => {
    let id = 0;
    return session.onEvent((event) => {
      id += 1;
      const entry = { id, at: now(), kind: event.type, text: describeAuthEvent(event) };
      setEntries((current) => [entry, ...current].slice(0, 8));
    });
  }, [session, now]);

  return (
    <section className="demo-card" aria-labelledby="events-title">
      <h2 id="events-title" className="demo-card-title">
        Session events
      </h2>
      {entries.length === 0 ? (
        <p className="demo-muted">
          Listening with <code>session.onEvent()</code>: the next refresh, retry or sign-out shows up here.
        </p>
      ) : null}
      <ol className="demo-log" data-testid="event-log">
        {entries.map((entry) => (
          <li key={entry.id} className={`demo-log-${entry.kind}`}>
            <time className="demo-muted demo-small">{new Date(entry.at).toLocaleTimeString('en-GB')}</time>
            <span>{entry.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
