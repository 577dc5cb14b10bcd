import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { CozeSession } from '../core/session/CozeSession.js';
import type { CozeAuthState } from '../core/session/types.js';
import { LOADING_STATE } from '../core/session/lifecycle.js';
import { useCozeSession } from './context.js';

/**
 * A slice of `session`'s state, re-rendering only when the slice changes (`isEqual` says whether
 * two slices are the same; default `Object.is`). Servers and hydration see the slice of the
 * loading state, so the server's markup and the client's first render agree; the real state
 * follows. The last slice handed out is kept: an equal slice returns the very same value, even
 * when `select` builds a new object each time.
 */
export function useSessionSelector<T>(
  session: CozeSession,
  select: (state: CozeAuthState) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const committed = useRef<{ value: T } | undefined>(undefined);
  const [getSnapshot, getServerSnapshot] = useMemo(() => {
    let memoState: CozeAuthState | undefined;
    let memoValue: T;
    const memoized = (state: CozeAuthState): T => {
      if (state === memoState) return memoValue;
      const next = select(state);
      const previous = committed.current;
      memoState = state;
      memoValue = previous !== undefined && isEqual(previous.value, next) ? previous.value : next;
      return memoValue;
    };
    return [() => memoized(session.getSnapshot()), () => memoized(LOADING_STATE)];
  }, [session, select, isEqual]);
  const value = useSyncExternalStore(session.subscribe, getSnapshot, getServerSnapshot);
  useEffect(() => {
    committed.current = { value };
  }, [value]);
  return value;
}

/** {@link useSessionSelector} on the surrounding provider's session. */
export function useCozeSelector<T>(select: (state: CozeAuthState) => T, isEqual?: (a: T, b: T) => boolean): T {
  return useSessionSelector(useCozeSession(), select, isEqual);
}
