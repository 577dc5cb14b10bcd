import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium binary, or '' when none was found (then `chromiumProblem` says why). */
    chromiumPath: string;
    chromiumProblem: string;
  }
}

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

/** For a global setup: finds the browser once and hands it (or the loud reason why not) to the tests. */
export function provideChromium(provide: (key: 'chromiumPath' | 'chromiumProblem', value: string) => void): void {
  const found = findChromium();
  // Loud here, and every test fails with the same message (see chromiumForThisFile).
  if (!found.ok) console.error(`\n${found.message}\n`);
  provide('chromiumPath', found.ok ? found.path : '');
  provide('chromiumProblem', found.ok ? '' : found.message);
}

/** One Chromium per test file; a missing browser fails every test loudly (never a skip). */
export function chromiumForThisFile(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    const executablePath = inject('chromiumPath');
    // No browser: every test fails with the loud message (below). A failing hook would only
    // mark the tests skipped, and a missing browser must never look like a skip.
    if (!executablePath) return;
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error(inject('chromiumProblem') || 'Chromium did not start (see the error of beforeAll).');
      return browser;
    },
  };
}
