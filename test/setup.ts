import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// Sign-in loads code on demand (import()); on a busy 2-core CI machine the first load can
// take over a second, so give async queries room before they fail.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  globalThis.sessionStorage?.clear();
  globalThis.localStorage?.clear();
});
