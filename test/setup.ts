import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach } from 'vitest';
import { loadSessionEngine } from '../src/core/session/CozeSession.js';

// In the browser the session engine arrives a moment after the first render (its own chunk);
// tests load it up front so sessions behave synchronously from construction, as they did before
// the split. test/core/lazyEngine.test.ts covers the moments before it arrives.
await loadSessionEngine();

// Sign-in loads code on demand (import()); on a busy 2-core CI machine the first load can
// take over a second, so give async queries room before they fail.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  globalThis.sessionStorage?.clear();
  globalThis.localStorage?.clear();
});

// Portable-story tests render through Storybook's renderer, which no test unmounts: a story's
// interval (a countdown, the simulator's tick) would outlive its file and fire after the test
// environment is torn down ("window is not defined"). Every interval a file leaves running is
// stopped when the file ends.
const liveIntervals = new Set<ReturnType<typeof setInterval>>();
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;
globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
  const id = realSetInterval(...args);
  liveIntervals.add(id);
  return id;
}) as typeof setInterval;
globalThis.clearInterval = ((id?: ReturnType<typeof setInterval>) => {
  if (id !== undefined) liveIntervals.delete(id);
  realClearInterval(id);
}) as typeof clearInterval;
afterAll(() => {
  for (const id of liveIntervals) realClearInterval(id);
  liveIntervals.clear();
});
