/**
 * Sign-in in a real browser: the redirect to Coze's consent page and back, StrictMode, the
 * user cancelling, tampered/unknown/replayed callbacks, and open-redirect attempts.
 */
import { describe, expect, test } from 'vitest';
import {
  authorizeButton,
  cancelButton,
  expectErrorAlert,
  expectNoConsoleErrors,
  probe,
  startE2E,
  startSignedIn,
  text,
  chromiumForThisFile,
  waitForStatus,
  waitForText,
} from './support/harness';

const chromium = chromiumForThisFile();
const TOKEN_PATH = '/api/permission/oauth2/token';

function callbackParams(url: string): string[] {
  const params = new URL(url).searchParams;
  return ['code', 'state', 'error', 'error_description'].filter((name) => params.has(name));
}

describe('sign-in', () => {
  test('1. happy path: login button → consent page → Authorize → signed in at returnTo, the user shown, one token request', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    const returnTo = '/dashboard?tab=2#section';
    await t.open(t.page, '/', {}, { returnTo });
    expect(await text(t.page, 'status')).toBe('signed-out');

    await t.page.getByTestId('login').click();
    await t.page.waitForURL((url) => url.origin === t.server.webOrigin);
    await t.page.getByRole('heading', { name: 'Authorize E2E App' }).waitFor();
    await authorizeButton(t.page).click();

    await waitForStatus(t.page, 'signed-in');
    await waitForText(t.page, 'path', returnTo);
    // The user, once through useCozeQuery and once straight through useCozeClient.
    await waitForText(t.page, 'user-name', 'Coze Tester');
    await waitForText(t.page, 'client-user-name', 'Coze Tester');

    const finalUrl = new URL(t.page.url());
    expect(`${finalUrl.pathname}${finalUrl.search}${finalUrl.hash}`).toBe(returnTo);
    expect(callbackParams(t.page.url())).toEqual([]);
    // The callback URL was the last real page load; the app then cleaned the address bar in place.
    const loads = t.log().documentLoads;
    expect(callbackParams(loads[loads.length - 1] ?? '')).toEqual(['code', 'state']);
    expect(t.log().navigations.slice(-2).map((url) => new URL(url).pathname)).toEqual(['/callback', '/dashboard']);

    const tokenRequests = t.model.requestLog.filter((entry) => entry.path === TOKEN_PATH && entry.method === 'POST');
    expect(tokenRequests).toHaveLength(1);
    expect(t.model.counters).toMatchObject({ authorize: 1, decision: 1, tokenExchange: 1, tokenRefresh: 0, tokenErrors: 0, apiUnauthorized: 0 });
    expectNoConsoleErrors(t.log());
  });

  test('2. StrictMode: the code is exchanged exactly once, no console errors', async (ctx) => {
    const t = await startSignedIn(ctx, chromium.browser, {}, { flags: { strict: true } });

    // StrictMode is really on: React ran the mount-only effect twice in this page load.
    expect((await probe(t.page)).mountEffects).toBe(2);
    expect(t.model.counters).toMatchObject({ tokenExchange: 1, tokenErrors: 0, tokenRefresh: 0 });
    expect(await text(t.page, 'error-code')).toBe('');
    expectNoConsoleErrors(t.log());
  });

  test('2b. StrictMode with localStorage: one exchange, and the other tab hears about refresh and sign-out', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    const flags = { strict: true, storage: 'localStorage' } as const;
    await t.open(t.page, '/', flags);
    await t.signIn();
    const tab2 = await t.newPage();
    await t.open(tab2, '/', flags);
    await waitForStatus(tab2, 'signed-in');
    expect((await probe(tab2)).mountEffects).toBe(2);

    // StrictMode mounts, unmounts and remounts the provider: the cross-tab channel must survive that.
    await t.page.getByTestId('refresh').click();
    await waitForText(t.page, 'refreshed-count', '1');
    const refreshed = await text(t.page, 'access-token');
    await waitForText(tab2, 'access-token', refreshed);
    expect((await probe(tab2)).events.filter((e) => e.type === 'refreshed').map((e) => e.source)).toEqual(['other-tab']);

    await tab2.getByTestId('logout').click();
    await waitForStatus(t.page, 'signed-out');
    expect(t.model.counters).toMatchObject({ tokenExchange: 1, tokenRefresh: 1, tokenErrors: 0 });
    expect(await text(t.page, 'error-code')).toBe('');
    expectNoConsoleErrors(t.log());
    expectNoConsoleErrors(t.log(tab2));
  });

  test('3. Cancel on the consent page: a clear error, no redirect loop, and its "try again" button signs in', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    // A guarded page: RequireCozeAuth redirects to Coze by itself when signed out. After an error it must not.
    // The guard leaves for Coze while the page is still loading: wait for the commit only.
    await t.page.goto(`${t.appOrigin}/guarded`, { waitUntil: 'commit' });
    await t.page.waitForURL((url) => url.origin === t.server.webOrigin);
    await cancelButton(t.page).click();

    const alert = await expectErrorAlert(t.page, 'access_denied');
    await t.settle();
    expect(callbackParams(t.page.url())).toEqual([]);
    expect(new URL(t.page.url()).pathname).toBe('/callback');
    expect(t.log().documentLoads.map((url) => new URL(url).pathname)).toEqual([
      '/guarded',
      '/api/permission/oauth2/authorize',
      '/api/permission/oauth2/authorize/decision',
      '/callback',
    ]);
    expect(t.model.counters).toMatchObject({ authorize: 1, decision: 1, tokenExchange: 0 });
    expect(await text(t.page, 'status')).toBe('signed-out');
    expect(await text(t.page, 'error-code')).toBe('access_denied');

    await alert.getByRole('button').click();
    await t.page.waitForURL((url) => url.origin === t.server.webOrigin);
    await authorizeButton(t.page).click();
    await waitForStatus(t.page, 'signed-in');
    await waitForText(t.page, 'user-name', 'Coze Tester');
    expect(await text(t.page, 'error-code')).toBe('');
    expect(t.model.counters).toMatchObject({ authorize: 2, decision: 2, tokenExchange: 1, tokenErrors: 0 });
    expect(t.log().documentLoads).toHaveLength(7);
    expectNoConsoleErrors(t.log());
  });

  test('4a. tampered state: a clear error, no token request, no loop', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    await t.open(t.page, '/');
    // Coze's redirect back to the app is altered on the way: the state no longer matches.
    // (Routes do not see redirected requests, so the consent decision's 302 itself is rewritten.)
    await t.page.route(
      `${t.server.webOrigin}/api/permission/oauth2/authorize/decision`,
      async (route) => {
        const response = await route.fetch({ maxRedirects: 0 });
        const location = new URL(response.headers()['location'] ?? '');
        location.searchParams.set('state', `${location.searchParams.get('state') ?? ''}-tampered`);
        await route.fulfill({ status: 302, headers: { Location: location.href } });
      },
      { times: 1 },
    );
    await t.page.getByTestId('login').click();
    await t.page.waitForURL((url) => url.origin === t.server.webOrigin);
    await authorizeButton(t.page).click();

    await expectErrorAlert(t.page, 'state_mismatch');
    await t.settle();
    expect(await text(t.page, 'status')).toBe('signed-out');
    expect(callbackParams(t.page.url())).toEqual([]);
    expect(t.model.counters).toMatchObject({ authorize: 1, tokenExchange: 0 });
    expect(t.log().documentLoads.filter((url) => new URL(url).pathname === '/callback')).toHaveLength(1);
    expectNoConsoleErrors(t.log());
  });

  test('4b. unknown state (a callback URL this tab never started): a clear error, no token request, no loop', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    await t.page.goto(`${t.appOrigin}/callback?code=code_made_up&state=never-issued`);
    await expectErrorAlert(t.page, 'state_mismatch');
    await t.settle();
    expect(callbackParams(t.page.url())).toEqual([]);
    expect(t.log().documentLoads).toHaveLength(1);
    expect(t.model.counters).toMatchObject({ authorize: 0, tokenExchange: 0 });
    expectNoConsoleErrors(t.log());
  });

  test('4c. replayed callback: Back to Coze and authorizing again, or reopening the used URL, never exchanges again', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    await t.open(t.page, '/', {}, { returnTo: '/home' });
    await t.signIn();
    const usedCallback = t.log().documentLoads.find((url) => url.includes('/callback?'));
    expect(usedCallback).toBeDefined();
    expect(t.model.counters.tokenExchange).toBe(1);

    // Back: the callback entry was replaced in place, so Back leads to Coze's consent page, not to ?code=.
    await t.page.goBack();
    await t.page.waitForURL((url) => url.origin === t.server.webOrigin);
    // Authorizing again sends a new code with the old, already-used state: the app stays signed in.
    await authorizeButton(t.page).click();
    await t.page.waitForURL((url) => url.origin === t.appOrigin && !url.pathname.startsWith('/callback'));
    await waitForStatus(t.page, 'signed-in');
    expect(await text(t.page, 'error-code')).toBe('');
    expect(callbackParams(t.page.url())).toEqual([]);

    // Reopening the used callback URL in the same tab: already signed in, nothing exchanged.
    await t.page.goto(usedCallback ?? '');
    await t.page.waitForURL((url) => !url.pathname.startsWith('/callback'));
    await waitForStatus(t.page, 'signed-in');
    await waitForText(t.page, 'user-name', 'Coze Tester');
    expect(await text(t.page, 'error-code')).toBe('');
    await t.settle();
    expect(t.model.counters).toMatchObject({ tokenExchange: 1, tokenErrors: 0 });

    // Reopening it in a fresh tab (sessionStorage: not signed in there): a clear error, still no exchange.
    const tab2 = await t.newPage();
    await tab2.goto(usedCallback ?? '');
    await expectErrorAlert(tab2, 'state_mismatch');
    await t.settle();
    expect(callbackParams(tab2.url())).toEqual([]);
    expect(t.log(tab2).documentLoads).toHaveLength(1);
    expect(t.model.counters).toMatchObject({ tokenExchange: 1, tokenErrors: 0 });
    expectNoConsoleErrors(t.log());
    expectNoConsoleErrors(t.log(tab2));
  });
});

describe('12. open redirects are refused', () => {
  const attacks = [
    ['another origin', 'https://evil.example/phish'],
    ['protocol-relative //host', '//evil.example/phish'],
    ['backslash /\\host', '/\\evil.example/phish'],
    ['javascript: URL', 'javascript:alert(document.domain)'],
    ['the fake Coze origin (same host, other port)', 'COZE_API_ORIGIN/x'],
  ] as const;

  test.for(attacks)('returnTo = %s is refused before leaving the app', async ([, raw], ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    const returnTo = raw.replace('COZE_API_ORIGIN', t.server.apiOrigin);

    // Through <CozeLoginButton returnTo>.
    await t.open(t.page, '/', {}, { returnTo });
    await t.page.getByTestId('login').click();
    await waitForText(t.page, 'login-error', 'unsafe_return_to');
    // Through useCozeAuth().login({ returnTo }).
    await t.page.getByTestId('returnto-input').fill(returnTo);
    await t.page.getByTestId('login-hook').click();
    await waitForText(t.page, 'login-error', 'unsafe_return_to');

    await t.settle();
    expect(new URL(t.page.url()).origin).toBe(t.appOrigin);
    expect(t.log().documentLoads).toHaveLength(1);
    expect(t.model.counters.authorize).toBe(0);
    expect(await t.page.getByTestId('login').isEnabled()).toBe(true);
    expectNoConsoleErrors(t.log());
  });

  test('a same-origin absolute returnTo is accepted (the check is not a blanket refusal)', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    await t.open(t.page, '/', {}, { returnTo: `${t.appOrigin}/settings?x=1` });
    await t.signIn();
    await waitForText(t.page, 'path', '/settings?x=1');
  });

  test('a returnTo altered in the pending sign-in while away at Coze is re-checked: the app stays on its origin', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser);
    // Before the app boots on the callback page, rewrite every pending sign-in's returnTo.
    await t.context.addInitScript(() => {
      if (window.location.pathname !== '/callback') return;
      let tampered = 0;
      for (let i = 0; i < window.sessionStorage.length; i += 1) {
        const key = window.sessionStorage.key(i);
        if (!key?.startsWith('coze-auth.tx.')) continue;
        const value = window.sessionStorage.getItem(key) ?? '';
        const altered = value.replace(/"returnTo":"[^"]*"/, '"returnTo":"https://evil.example/phish"');
        if (altered !== value) tampered += 1;
        window.sessionStorage.setItem(key, altered);
      }
      (window as unknown as { __tampered: number }).__tampered = tampered;
    });
    await t.open(t.page, '/', {}, { returnTo: '/inbox' });
    await t.page.getByTestId('login').click();
    await t.page.waitForURL((url) => url.origin === t.server.webOrigin);
    await authorizeButton(t.page).click();
    await waitForStatus(t.page, 'signed-in');
    await t.page.waitForURL((url) => !url.pathname.startsWith('/callback'));
    await t.settle();
    expect(new URL(t.page.url()).origin).toBe(t.appOrigin);
    expect(new URL(t.page.url()).pathname).toBe('/');
    expect(t.log().documentLoads.every((url) => !url.includes('evil.example'))).toBe(true);
    // The tampering really happened: the pending sign-in held the rewritten value when the app read it.
    expect(await t.page.evaluate(() => (window as unknown as { __tampered?: number }).__tampered)).toBe(1);
    expect(t.model.counters.tokenExchange).toBe(1);
    expectNoConsoleErrors(t.log());
  });
});
