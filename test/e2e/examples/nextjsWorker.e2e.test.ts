/**
 * examples/nextjs-app-router in worker mode (`NEXT_PUBLIC_COZE_TOKEN_STORAGE=worker`), built with
 * `next build` (Turbopack) into its own dist dir: Next bundles the package's vault worker itself
 * (no `workerUrl`), every tab opens the same SharedWorker, the refresh token never reaches a page,
 * a second tab and a reload are signed in without a token request, and sign-out ends all tabs.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeCozeServer } from '../../../src/testing/node';
import { recordIssuedRefreshTokens } from '../support/issuedTokens';
import {
  EXAMPLES_DIR,
  authorize,
  childEnv,
  chromiumForThisFile,
  exampleBin,
  expectClean,
  freePorts,
  hydrationProblems,
  openBrowser,
  run,
  startCozeFor,
  startProcess,
  type RunningProcess,
} from './support';

const EXAMPLE = 'nextjs-app-router';
const CLIENT_ID = 'next-worker-example';
const APP_NAME = 'Next Worker Example';
const chromium = chromiumForThisFile();

let server: FakeCozeServer;
let issued: string[];
let app: RunningProcess | undefined;
let appOrigin: string;

beforeAll(async () => {
  const cwd = `${EXAMPLES_DIR}${EXAMPLE}`;
  const next = exampleBin(EXAMPLE, 'next/dist/bin/next');
  const [appPort, apiPort, webPort] = (await freePorts(3)) as [number, number, number];
  appOrigin = `http://127.0.0.1:${appPort}`;
  server = await startCozeFor({ apiPort, webPort, appOrigin, clientId: CLIENT_ID, name: APP_NAME });
  issued = recordIssuedRefreshTokens(server.model);
  const env = childEnv({
    NEXT_PUBLIC_COZE_CLIENT_ID: CLIENT_ID,
    NEXT_PUBLIC_COZE_REDIRECT_URI: `${appOrigin}/callback`,
    NEXT_PUBLIC_COZE_BASE_URL: server.apiOrigin,
    NEXT_PUBLIC_COZE_WEB_BASE_URL: server.webOrigin,
    NEXT_PUBLIC_COZE_TOKEN_STORAGE: 'worker',
    // Its own build next to the default one (nextjs.e2e.test.ts).
    NEXT_DIST_DIR: '.next-worker',
  });
  const buildMs = await run(process.execPath, [next, 'build'], { cwd, env });
  app = await startProcess(process.execPath, [next, 'start', '--port', String(appPort), '--hostname', '127.0.0.1'], {
    cwd,
    env,
    readyUrl: `${appOrigin}/`,
  });
  console.log(`next build (worker mode): ${buildMs} ms at ${appOrigin}`);
}, 240_000);

afterAll(async () => {
  await app?.close();
  await server?.close();
});

const serverOutput = () => ({ nextStartOutput: app?.output() ?? '' });
const status = (page: Page) => page.getByTestId('status').textContent();

describe('Next.js App Router example, tokenStorage: worker', () => {
  test('one vault for all tabs: sign-in, a second tab and a reload without a token request, no refresh token on the page, sign-out ends all', async (ctx) => {
    const t = await openBrowser(ctx, chromium.browser, server, serverOutput);
    await t.page.goto(`${appOrigin}/me`);
    await t.page.getByRole('button', { name: 'Sign in to see your Coze profile' }).click();
    await authorize(t.page, server, APP_NAME);
    await t.page.getByTestId('nick-name').waitFor();
    expect(server.model.counters).toMatchObject({ tokenExchange: 1, tokenRefresh: 0 });

    // The second tab finds the sign-in in the vault.
    const second = await t.context.newPage();
    await second.goto(`${appOrigin}/me`);
    await second.getByTestId('nick-name').waitFor();
    expect(server.model.counters).toMatchObject({ tokenExchange: 1, tokenRefresh: 0 });

    // One SharedWorker, on this origin (Next served the package's script).
    const cdp = await t.context.newCDPSession(t.page);
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
    const vaults = targetInfos.filter((target) => target.type === 'shared_worker');
    expect(vaults).toHaveLength(1);
    expect(new URL(vaults[0]!.url).origin).toBe(appOrigin);

    // Nothing of the refresh token where the pages can read.
    expect(issued).toHaveLength(1);
    for (const page of [t.page, second]) {
      const reachable = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
      expect(reachable).not.toContain(issued[0]);
      expect(reachable).not.toContain('coze-auth.tokens');
    }

    // A reload: signed in from the vault, hydrated cleanly, no request to Coze's token endpoint.
    t.clearLog();
    await t.page.reload();
    await t.page.getByTestId('nick-name').waitFor();
    await t.settle();
    expect(await status(t.page)).toBe('signed-in');
    expect(server.model.counters).toMatchObject({ tokenExchange: 1, tokenRefresh: 0 });
    expect(hydrationProblems(t.log)).toEqual([]);
    expectClean(t.log, 'after a reload in worker mode');

    // Sign-out in the second tab ends the first one too.
    await second.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => status(t.page)).toBe('signed-out');
    expect(await status(second)).toBe('signed-out');
  });
});
