import { useEffect, useState, type ReactNode } from 'react';
import { useNow } from '../../demo/src/components/useNow';
import type { StoryAuth } from './storyAuth';

/** What the simulator bar offers. */
export type SimulatorControl = 'time' | 'end-session' | 'fail-refresh' | 'fail-api';

/**
 * Knobs of the fake Coze and of the story clock, shown under a story. Not part of an app: they
 * call `react-coze-auth/testing` (`clock.advance`, `model.failNext`, `model.revokeAll`).
 */
export function Simulator({ auth, controls }: { auth: StoryAuth; controls: readonly SimulatorControl[] }): ReactNode {
  const now = useNow(500);
  const [note, setNote] = useState<string>();
  // Coze's counters change without React knowing: re-read them twice a second.
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((tick) => tick + 1), 500);
    return () => clearInterval(id);
  }, []);
  const counters = auth.model.counters;
  const run = (label: string, action: () => Promise<unknown> | void) => {
    setNote(label);
    void Promise.resolve(action());
  };
  return (
    <section className="demo-simulator" aria-labelledby="simulator-title">
      <div className="demo-simulator-head">
        <h2 id="simulator-title">Coze simulator</h2>
        <span className="demo-simulator-hint">story controls, not part of your app</span>
      </div>
      <div className="demo-simulator-row">
        <span className="demo-clock" data-testid="story-clock">
          {new Date(now).toLocaleTimeString('en-GB')}
        </span>
        {controls.includes('time') ? (
          <>
            <button type="button" className="demo-btn demo-btn-small" onClick={() => run('Skipped 1 minute', () => auth.clock.advance(60_000))}>
              +1 min
            </button>
            <button type="button" className="demo-btn demo-btn-small" onClick={() => run('Skipped 10 minutes', () => auth.clock.advance(600_000))}>
              +10 min
            </button>
          </>
        ) : null}
        {controls.includes('fail-refresh') ? (
          <button
            type="button"
            className="demo-btn demo-btn-small"
            onClick={() => run('The next refresh will fail (network)', () => auth.model.failNext('refresh', 'network'))}
          >
            Fail next refresh
          </button>
        ) : null}
        {controls.includes('fail-api') ? (
          <button
            type="button"
            className="demo-btn demo-btn-small"
            onClick={() => run('The next API call will answer 503', () => auth.model.failNext('api', { status: 503 }))}
          >
            Fail next API call
          </button>
        ) : null}
        {controls.includes('end-session') ? (
          <button type="button" className="demo-btn demo-btn-small demo-btn-danger" onClick={() => run('Coze revoked the session', () => auth.expireSession())}>
            Revoke session at Coze
          </button>
        ) : null}
      </div>
      <p className="demo-counters" data-testid="coze-counters">
        Coze saw {counters.tokenExchange} code exchange{counters.tokenExchange === 1 ? '' : 's'}, {counters.tokenRefresh} refresh
        {counters.tokenRefresh === 1 ? '' : 'es'}, {counters.api} API call{counters.api === 1 ? '' : 's'}
        {note ? <span className="demo-simulator-note"> · {note}</span> : null}
      </p>
    </section>
  );
}
