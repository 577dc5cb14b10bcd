/**
 * examples/nextjs-app-router, built with `next build` and served by `next start`: the package's
 * React modules are client components in a real App Router app (server components import them
 * from the package root), sign-in works through the consent page, Coze is called, and pages
 * hydrate without a warning or a console error, signed out and signed in.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeCozeServer } from '../../../src/testing/node';
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
const CLIENT_ID = 'next-example';
const APP_NAME = 'Next Example';
const chromium = chromiumForThisFile();

let server: FakeCozeServer;
let app: RunningProcess | undefined;
let appOrigin: string;

beforeAll(async () => {
  const cwd = `${EXAMPLES_DIR}${EXAMPLE}`;
  const next = exampleBin(EXAMPLE, 'next/dist/bin/next');
  const [appPort, apiPort, webPort] = (await freePorts(3)) as [number, number, number];
  appOrigin = `http://127.0.0.1:${appPort}`;
  server = await startCozeFor({ apiPort, webPort, appOrigin, clientId: CLIENT_ID, name: APP_NAME });
  const env = childEnv({
    NEXT_PUBLIC_COZE_CLIENT_ID: CLIENT_ID,
    NEXT_PUBLIC_COZE_REDIRECT_URI: `${appOrigin}/callback`,
    NEXT_PUBLIC_COZE_BASE_URL: server.apiOrigin,
    NEXT_PUBLIC_COZE_WEB_BASE_URL: server.webOrigin,
  });
  const buildMs = await run(process.execPath, [next, 'build'], { cwd, env });
  const started = Date.now();
  app = await startProcess(process.execPath, [next, 'start', '--port', String(appPort), '--hostname', '127.0.0.1'], {
    cwd,
    env,
    readyUrl: `${appOrigin}/`,
  });
  console.log(`next build: ${buildMs} ms; next start ready in ${Date.now() - started} ms at ${appOrigin}`);
}, 240_000);

afterAll(async () => {
  await app?.close();
  await server?.close();
});

const serverOutput = () => ({ nextStartOutput: app?.output() ?? '' });

describe('Next.js App Router example', () => {
  test('server-renders the package components: the guard renders its fallback on the server', async () => {
    const html = await (await fetch(`${appOrigin}/protected`)).text();
    // <RequireCozeAuth> is imported by a server component (app/protected/page.tsx) and rendered
    // on the server as a client component: signed out there, so its fallback. (Its children are
    // still in the RSC payload: a client-side guard hides UI, it is not access control.)
    expect(html).toContain('<main><p role="status" aria-live="polite">Signing you in…</p>');
    expect(html).not.toContain('<h1 data-testid="protected">');
    // A server component used a core export (COZE_COM_BASE_URL) from the same package root.
    expect(await (await fetch(`${appOrigin}/`)).text()).toContain('https://api.coze.com');
  });

  test('signed out: pages hydrate without a console error or warning', async (ctx) => {
    const t = await openBrowser(ctx, chromium.browser, server, serverOutput);
    for (const path of ['/', '/me', '/callback']) {
      await t.page.goto(`${appOrigin}${path}`);
      await t.page.getByTestId('status').waitFor();
      await t.settle();
    }
    expect(await t.page.locator('[data-error-code]').getAttribute('data-error-code')).toBe('invalid_callback_url');
    expect(await t.page.getByTestId('status').textContent()).toBe('signed-out');
    expect(hydrationProblems(t.log)).toEqual([]);
    expectClean(t.log, 'on signed-out pages');
  });

  test('sign in from the guarded page through the consent page, then /me calls Coze', async (ctx) => {
    const t = await openBrowser(ctx, chromium.browser, server, serverOutput);
    const before = { ...server.model.counters };
    await t.page.goto(`${appOrigin}/protected`);
    // RequireCozeAuth starts the sign-in by itself.
    await authorize(t.page, server, APP_NAME);
    await t.page.getByTestId('protected').waitFor();
    const landed = new URL(t.page.url());
    expect(landed.pathname).toBe('/protected');
    expect([...landed.searchParams.keys()]).toEqual([]);
    expect(await t.page.getByTestId('status').textContent()).toBe('signed-in');
    expect(server.model.counters.tokenExchange - before.tokenExchange).toBe(1);

    // Client-side navigation to the page that calls Coze through useCozeQuery.
    await t.page.getByRole('link', { name: 'Me', exact: true }).click();
    expect(await t.page.getByTestId('nick-name').textContent()).toBe('Coze Tester');
    expect(server.model.requestLog.some((entry) => entry.kind === 'api' && entry.path === '/v1/users/me' && entry.status === 200)).toBe(true);
    await t.settle();
    expectClean(t.log, 'during sign-in');
  });

  test('reloading signed-in pages: zero hydration warnings, zero console errors', async (ctx) => {
    const t = await openBrowser(ctx, chromium.browser, server, serverOutput);
    await t.page.goto(`${appOrigin}/me`);
    await t.page.getByRole('button', { name: 'Sign in to see your Coze profile' }).click();
    await authorize(t.page, server, APP_NAME);
    await t.page.getByTestId('nick-name').waitFor();
    await t.settle();
    expectClean(t.log, 'during sign-in');

    for (const [path, testId] of [
      ['/me', 'nick-name'],
      ['/protected', 'protected'],
      ['/', 'status'],
    ] as const) {
      t.clearLog();
      await t.page.goto(`${appOrigin}${path}`);
      await t.page.getByTestId(testId).waitFor();
      await t.settle();
      expect(await t.page.getByTestId('status').textContent(), `status after loading ${path}`).toBe('signed-in');
      expect(hydrationProblems(t.log), `hydration of ${path} while signed in`).toEqual([]);
      expectClean(t.log, `after loading ${path} while signed in`);
    }
  });
});
