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
    const id = setInterval(() => {
      // Portable-story tests never unmount their stories; once the test environment is torn down
      // (no document) the tick must stop instead of updating a root that no longer has a page.
      if (typeof document === 'undefined') clearInterval(id);
      else setValue(now());
    }, intervalMs);
    return () => clearInterval(id);
  }, [now, intervalMs]);
  return value;
}
