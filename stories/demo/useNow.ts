import { createContext, useContext, useEffect, useState } from 'react';

/**
 * Where "now" comes from. An app uses `Date.now`; stories provide the test clock that the
 * session and the fake Coze share, so a countdown and a silent refresh agree.
 */
export const NowContext = createContext<() => number>(Date.now);

/** The current time, re-read every `intervalMs`. */
export function useNow(intervalMs = 500): number {
  const now = useContext(NowContext);
  const [value, setValue] = useState(now);
  useEffect(() => {
    setValue(now());
    const id = setInterval(() => setValue(now()), intervalMs);
    return () => clearInterval(id);
  }, [now, intervalMs]);
  return value;
}
