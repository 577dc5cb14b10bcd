import { accessSync, constants } from 'node:fs';

/** Where a Chromium or Chrome binary usually lives on Debian/Ubuntu; `CHROMIUM_PATH` wins. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Flags for a quiet headless Chromium on a machine without internet. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export type ChromiumLookup = { ok: true; path: string } | { ok: false; message: string };

/** Finds the browser, or explains loudly how to get one. Never a silent skip. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const fromEnv = env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { ok: true, path: fromEnv };
    return { ok: false, message: banner(`CHROMIUM_PATH=${fromEnv} is not an executable file.`, env) };
  }
  const found = CHROMIUM_CANDIDATES.find(isExecutable);
  if (found) return { ok: true, path: found };
  return { ok: false, message: banner(`No Chromium/Chrome found (looked at ${CHROMIUM_CANDIDATES.join(', ')}).`, env) };
}

function banner(problem: string, env: NodeJS.ProcessEnv): string {
  const ci = env.CI === 'true' || env.CI === '1';
  const line = '='.repeat(78);
  return [
    line,
    `  BROWSER TESTS CANNOT RUN: ${problem}`,
    '  The end-to-end tests (npm run test:e2e) drive a real Chromium. Install one:',
    '      sudo apt-get install -y chromium        # Debian / Ubuntu',
    '  or point CHROMIUM_PATH at any Chromium or Chrome binary:',
    '      CHROMIUM_PATH=/path/to/chrome npm run test:e2e',
    ci ? '  CI=true: a missing browser fails the run; it is never skipped.' : '  These tests fail (they are not skipped) until a browser is available.',
    line,
  ].join('\n');
}
