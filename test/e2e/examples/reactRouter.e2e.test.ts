/**
 * examples/react-router, built with `tsc && vite build` and served as static files with SPA
 * fallback: a data router whose provider navigates with the router, a guarded route, and a route
 * loader that awaits a fresh token from the shared CozeSession before calling Coze.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeCozeServer } from '../../../src/testing/node';
import { startStaticServer, type StaticServer } from '../support/staticServer';
import {
  EXAMPLES_DIR,
  authorize,
  childEnv,
  chromiumForThisFile,
  exampleBin,
  expectClean,
  freePorts,
  openBrowser,
  run,
  startCozeFor,
} from './support';

const EXAMPLE = 'react-router';
const CLIENT_ID = 'react-router-example';
const APP_NAME = 'React Router Example';
const chromium = chromiumForThisFile();

let server: FakeCozeServer;
let site: StaticServer | undefined;
let appOrigin: string;

beforeAll(async () => {
  const cwd = `${EXAMPLES_DIR}${EXAMPLE}`;
  const [apiPort, webPort] = (await freePorts(2)) as [number, number];
  const env = childEnv({
    VITE_COZE_CLIENT_ID: CLIENT_ID,
    VITE_COZE_BASE_URL: `http://127.0.0.1:${apiPort}`,
    VITE_COZE_WEB_BASE_URL: `http://127.0.0.1:${webPort}`,
  });
  // The example's own build script: type check, then vite build.
  const typecheckMs = await run(process.execPath, [exampleBin(EXAMPLE, 'typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd, env });
  const buildMs = await run(process.execPath, [exampleBin(EXAMPLE, 'vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd, env });
  site = await startStaticServer(`${cwd}/dist`);
  appOrigin = site.origin;
  server = await startCozeFor({ apiPort, webPort, appOrigin, clientId: CLIENT_ID, name: APP_NAME });
  console.log(`react-router example: tsc ${typecheckMs} ms, vite build ${buildMs} ms, served at ${appOrigin}`);
}, 120_000);

afterAll(async () => {
  await site?.close();
  await server?.close();
});

const usersMeCalls = () => server.model.requestLog.filter((entry) => entry.kind === 'api' && entry.path === '/v1/users/me');

describe('React Router example', () => {
  test('the loader sends a signed-out visitor to sign in, then awaits a token and shows the user from /v1/users/me', async (ctx) => {
    const t = await openBrowser(ctx, chromium.browser, server);
    const callsBefore = usersMeCalls().length;
    await t.page.goto(`${appOrigin}/profile`);
    await t.page.waitForURL(`${appOrigin}/login?returnTo=%2Fprofile`);
    expect(usersMeCalls().length).toBe(callsBefore);

    await t.page.getByTestId('login-for-page').click();
    await authorize(t.page, server, APP_NAME);
    // <CozeCallback> → onRedirectCallback → navigate('/profile', { replace: true }) → the loader.
    expect(await t.page.getByTestId('loader-nick-name').textContent()).toBe('Coze Tester');
    expect(await t.page.getByTestId('loader-user-id').textContent()).toBe('7480000000000000001');
    const landed = new URL(t.page.url());
    expect(landed.pathname).toBe('/profile');
    expect([...landed.searchParams.keys()]).toEqual([]);
    const calls = usersMeCalls().slice(callsBefore);
    expect(calls.map((call) => call.status)).toEqual([200]);

    // A fresh page load: the loader runs before React renders, with the session's stored token.
    await t.page.reload();
    expect(await t.page.getByTestId('loader-nick-name').textContent()).toBe('Coze Tester');
    expect(usersMeCalls().slice(callsBefore).map((call) => call.status)).toEqual([200, 200]);
    await t.settle();
    expectClean(t.log, 'during sign-in and reload');
  });

  test('the loader refreshes an expired token before calling Coze', async (ctx) => {
    const t = await openBrowser(ctx, chromium.browser, server);
    server.model.setTokenLifetimes({ accessTokenTtlSeconds: 3 });
    try {
      await t.page.goto(`${appOrigin}/login?returnTo=%2Fprofile`);
      await t.page.getByTestId('login-for-page').click();
      await authorize(t.page, server, APP_NAME);
      await t.page.getByTestId('loader-nick-name').waitFor();
      // Leave the app (no provider, no refresh timer) until the access token has expired.
      await t.page.goto('about:blank');
      const refreshesBefore = server.model.counters.tokenRefresh;
      const logBefore = server.model.requestLog.length;
      await new Promise((resolve) => setTimeout(resolve, 3_500));

      await t.page.goto(`${appOrigin}/profile`);
      expect(await t.page.getByTestId('loader-nick-name').textContent()).toBe('Coze Tester');
      expect(server.model.counters.tokenRefresh).toBe(refreshesBefore + 1);
      const after = server.model.requestLog.slice(logBefore).filter((entry) => entry.kind !== 'preflight');
      // The refresh finished before the loader called Coze, which accepted the new token.
      expect(after.slice(0, 2).map((entry) => `${entry.kind} ${entry.status}`)).toEqual(['token-refresh 200', 'api 200']);
      await t.settle();
      expectClean(t.log, 'while the loader refreshed');
    } finally {
      server.model.setTokenLifetimes({ accessTokenTtlSeconds: 900 });
    }
  });

  test('the guarded route sends a signed-out visitor to Coze and back', async (ctx) => {
    const t = await openBrowser(ctx, chromium.browser, server);
    await t.page.goto(`${appOrigin}/protected`);
    await authorize(t.page, server, APP_NAME);
    await t.page.getByTestId('protected').waitFor();
    expect(new URL(t.page.url()).pathname).toBe('/protected');
    expect(await t.page.getByTestId('status').textContent()).toBe('signed-in');
    await t.settle();
    expectClean(t.log, 'during the guarded sign-in');
  });
});
