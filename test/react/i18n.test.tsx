// Languages: every string the components render exists in en and zh-CN, the provider's `messages`
// override the tables, a component's own props override both, and every error code has text.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CozeAuthErrorCode } from '../../src/core/errors';
import { CozeSession } from '../../src/core/session/CozeSession';
import { enErrors } from '../../src/react/i18n/errors.en';
import { zhCNErrors } from '../../src/react/i18n/errors.zhCN';
import { en } from '../../src/react/i18n/messages.en';
import { zhCN } from '../../src/react/i18n/messages.zhCN';
import { browserLocale, matchLocale, resolveLocale } from '../../src/react/i18n/resolveLocale';
import {
  CozeAuthProvider,
  CozeCallback,
  CozeLoginButton,
  RequireCozeAuth,
  useCozeMessages,
  type CozeAuthMessageOverrides,
} from '../../src/react/index';
import { describeCozeAuthError } from '../../src/i18n';
import { sessionOptions, setupFakeCoze, startSignIn } from '../helpers/harness';

const fake = setupFakeCoze();

/** The codes of `CozeAuthErrorCode`, read from its declaration: a new code without text fails below. */
const ERROR_CODES: CozeAuthErrorCode[] = (() => {
  const source = readFileSync(resolve(process.cwd(), 'src/core/errors.ts'), 'utf8');
  const union = /export type CozeAuthErrorCode =([^;]+);/.exec(source)?.[1] ?? '';
  return [...union.matchAll(/'([a-z_]+)'/g)].map((match) => match[1] as CozeAuthErrorCode);
})();

const HAN = /\p{Script=Han}/u;

const LOCALES = [
  ['en', en, enErrors],
  ['zh-CN', zhCN, zhCNErrors],
] as const;

/** A session whose last sign-in failed with `state_mismatch` (a callback nobody started). */
async function failedSession() {
  const options = sessionOptions();
  const session = new CozeSession(options);
  await session.handleRedirectCallback(`${window.location.origin}/callback?code=c&state=nobody-started-this`).catch(() => undefined);
  return { session, options };
}

describe('choosing the language', () => {
  it.each([
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh-HK', 'zh-CN'],
    ['zh-Hant', 'zh-CN'],
    ['en', 'en'],
    ['en-GB', 'en'],
    ['fr-FR', undefined],
    ['', undefined],
  ] as const)('%s → %s', (tag, expected) => {
    expect(matchLocale(tag)).toBe(expected);
    expect(resolveLocale(tag)).toBe(expected ?? 'en');
  });

  it('follows the first of the browser’s languages that has a table, else English', () => {
    const languages = vi.spyOn(navigator, 'languages', 'get');
    languages.mockReturnValue(['fr-FR', 'zh-Hans-CN', 'en']);
    expect(browserLocale()).toBe('zh-CN');
    languages.mockReturnValue(['de', 'en-US']);
    expect(browserLocale()).toBe('en');
    languages.mockReturnValue(['ja', 'ko']);
    expect(browserLocale()).toBe('en');
    languages.mockReturnValue([]);
    vi.spyOn(navigator, 'language', 'get').mockReturnValue('zh');
    expect(browserLocale()).toBe('zh-CN');
  });

  it('without a locale the provider follows the browser, and a languagechange event', async () => {
    const languages = vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['zh-CN']);
    render(
      <CozeAuthProvider session={new CozeSession(sessionOptions())}>
        <CozeLoginButton />
      </CozeAuthProvider>,
    );
    expect(screen.getByRole('button').textContent).toBe('使用扣子登录');
    languages.mockReturnValue(['en-US']);
    window.dispatchEvent(new Event('languagechange'));
    await waitFor(() => expect(screen.getByRole('button').textContent).toBe('Sign in with Coze'));
  });

  it('a locale prop wins over the browser; an unknown tag gets English', () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['zh-CN']);
    const { rerender } = render(
      <CozeAuthProvider session={new CozeSession(sessionOptions())} locale="en">
        <CozeLoginButton />
      </CozeAuthProvider>,
    );
    expect(screen.getByRole('button').textContent).toBe('Sign in with Coze');
    rerender(
      <CozeAuthProvider session={new CozeSession(sessionOptions())} locale="fr">
        <CozeLoginButton />
      </CozeAuthProvider>,
    );
    expect(screen.getByRole('button').textContent).toBe('Sign in with Coze');
  });

  it('useCozeMessages reports the provider’s language; outside a provider it is English', () => {
    const seen: string[] = [];
    function Probe() {
      const { locale, messages } = useCozeMessages();
      seen.push(`${locale}:${messages.tryAgain}`);
      return null;
    }
    render(<Probe />);
    render(
      <CozeAuthProvider session={new CozeSession(sessionOptions())} locale="zh-Hans">
        <Probe />
      </CozeAuthProvider>,
    );
    expect(seen).toEqual(['en:Try again', 'zh-CN:重试']);
  });
});

describe.each(LOCALES)('every component in %s', (locale, messages, errors) => {
  beforeEach(() => {
    fake.reset();
  });

  it('CozeLoginButton: label, pending label, lang', async () => {
    const options = sessionOptions();
    render(
      <CozeAuthProvider session={new CozeSession(options)} locale={locale}>
        <CozeLoginButton />
      </CozeAuthProvider>,
    );
    const button = screen.getByRole('button', { name: messages.signIn });
    expect(button.getAttribute('lang')).toBe(locale);
    await userEvent.click(button);
    await waitFor(() => expect(options.navigate).toHaveBeenCalledTimes(1));
    expect(button.textContent).toBe(messages.redirecting);
    expect(button.getAttribute('lang')).toBe(locale);
  });

  it('CozeCallback: status while signing in', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate);
    window.history.replaceState(null, '', callbackUrl);
    render(
      <CozeAuthProvider session={session} locale={locale}>
        <CozeCallback onSuccess={() => undefined} />
      </CozeAuthProvider>,
    );
    const status = screen.getByRole('status');
    expect(status.textContent).toBe(messages.signingIn);
    expect(status.getAttribute('lang')).toBe(locale);
    await waitFor(() => expect(session.getSnapshot().status).toBe('signed-in'));
  });

  it('CozeCallback: the error’s description, and "Try again"', async () => {
    window.history.replaceState(null, '', '/callback?code=c&state=nobody-started-this');
    const options = sessionOptions();
    render(
      <CozeAuthProvider session={new CozeSession(options)} locale={locale}>
        <CozeCallback />
      </CozeAuthProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('state_mismatch');
    expect(alert.getAttribute('lang')).toBe(locale);
    expect(alert.textContent).toContain(errors.state_mismatch.description);
    // error.message is for developers; the user sees the description.
    expect(alert.textContent).not.toContain('state');
    await userEvent.click(within(alert).getByRole('button', { name: messages.tryAgain }));
    await waitFor(() => expect(options.navigate).toHaveBeenCalledTimes(1));
  });

  it('CozeCallback: Coze’s log id for support', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate);
    window.history.replaceState(null, '', callbackUrl);
    fake.state.model.failNext('exchange', { status: 503 });
    render(
      <CozeAuthProvider session={session} locale={locale}>
        <CozeCallback />
      </CozeAuthProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('server_error');
    const { logid } = session.getSnapshot().error ?? {};
    expect(logid).toBeTruthy();
    expect(alert.textContent).toContain(errors.server_error.description);
    expect(alert.textContent).toContain(messages.logId.replace('{logid}', logid ?? ''));
  });

  it('RequireCozeAuth: fallback and error', async () => {
    render(
      <CozeAuthProvider session={new CozeSession(sessionOptions())} locale={locale}>
        <RequireCozeAuth autoRedirect={false}>secret</RequireCozeAuth>
      </CozeAuthProvider>,
    );
    expect(screen.getByRole('status').textContent).toBe(messages.signingIn);
    expect(screen.getByRole('status').getAttribute('lang')).toBe(locale);

    const { session } = await failedSession();
    render(
      <CozeAuthProvider session={session} locale={locale}>
        <RequireCozeAuth>secret</RequireCozeAuth>
      </CozeAuthProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(`${errors.state_mismatch.description}${messages.tryAgain}`);
  });
});

describe('overrides', () => {
  beforeEach(() => {
    fake.reset();
  });

  const OVERRIDES: CozeAuthMessageOverrides = {
    signIn: '用扣子账号登录',
    signingIn: undefined,
    errors: { state_mismatch: { description: '登录已过期，请回到首页重新登录。' } },
  };

  it('the provider’s messages win over the table; the rest of the table stays', async () => {
    const options = sessionOptions();
    render(
      <CozeAuthProvider session={new CozeSession(options)} locale="zh-CN" messages={OVERRIDES}>
        <CozeLoginButton />
        <RequireCozeAuth autoRedirect={false}>secret</RequireCozeAuth>
      </CozeAuthProvider>,
    );
    expect(screen.getByRole('button').textContent).toBe('用扣子账号登录');
    // `undefined` keeps the table's string.
    expect(screen.getByRole('status').textContent).toBe(zhCN.signingIn);
    await userEvent.click(screen.getByRole('button'));
    await waitFor(() => expect(screen.getByRole('button').textContent).toBe(zhCN.redirecting));
  });

  it('error text overrides reach the default notice', async () => {
    const { session } = await failedSession();
    render(
      <CozeAuthProvider session={session} locale="zh-CN" messages={{ ...OVERRIDES, tryAgain: '重新登录' }}>
        <RequireCozeAuth>secret</RequireCozeAuth>
      </CozeAuthProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('登录已过期，请回到首页重新登录。重新登录');
  });

  it('a component’s own props win over both, and carry no lang of ours', async () => {
    const options = sessionOptions();
    const { session } = await failedSession();
    render(
      <CozeAuthProvider session={new CozeSession(options)} locale="zh-CN" messages={OVERRIDES}>
        <CozeLoginButton pendingChildren="Leaving…">Log in</CozeLoginButton>
        <RequireCozeAuth autoRedirect={false} fallback={<p>Checking…</p>}>
          secret
        </RequireCozeAuth>
      </CozeAuthProvider>,
    );
    const button = screen.getByRole('button', { name: 'Log in' });
    expect(button.hasAttribute('lang')).toBe(false);
    expect(screen.getByText('Checking…')).toBeTruthy();
    await userEvent.click(button);
    await waitFor(() => expect(button.textContent).toBe('Leaving…'));
    expect(button.hasAttribute('lang')).toBe(false);

    render(
      <CozeAuthProvider session={session} locale="zh-CN" messages={OVERRIDES}>
        <RequireCozeAuth error={(error) => <p role="alert">custom {error.code}</p>}>secret</RequireCozeAuth>
      </CozeAuthProvider>,
    );
    expect((await screen.findByRole('alert')).textContent).toBe('custom state_mismatch');
  });

  it('CozeCallback’s loading and error props win over both', async () => {
    const options = sessionOptions();
    const session = new CozeSession(options);
    const callbackUrl = await startSignIn(session, fake.state.model, options.navigate);
    window.history.replaceState(null, '', callbackUrl);
    render(
      <CozeAuthProvider session={session} locale="zh-CN" messages={OVERRIDES}>
        <CozeCallback loading={<p role="status">Finishing…</p>} onSuccess={() => undefined} />
      </CozeAuthProvider>,
    );
    expect(screen.getByRole('status').textContent).toBe('Finishing…');
    await waitFor(() => expect(session.getSnapshot().status).toBe('signed-in'));
  });

  it('a label of null or an empty string is the app’s choice, not a missing one', () => {
    render(
      <CozeAuthProvider session={new CozeSession(sessionOptions())} locale="zh-CN">
        <CozeLoginButton aria-label="扣子">{null}</CozeLoginButton>
      </CozeAuthProvider>,
    );
    expect(screen.getByRole('button', { name: '扣子' }).textContent).toBe('');
  });
});

describe('describeCozeAuthError', () => {
  it('the codes are read from CozeAuthErrorCode', () => {
    expect(ERROR_CODES.length).toBeGreaterThanOrEqual(15);
    expect(ERROR_CODES).toContain('access_denied');
    expect(ERROR_CODES).toContain('storage_unavailable');
  });

  it('each table has exactly one entry per code', () => {
    expect(Object.keys(enErrors).sort()).toEqual([...ERROR_CODES].sort());
    expect(Object.keys(zhCNErrors).sort()).toEqual([...ERROR_CODES].sort());
  });

  describe.each(ERROR_CODES)('%s', (code) => {
    it('has a title, a description and an action in both languages', () => {
      const english = describeCozeAuthError({ code }, 'en');
      const chinese = describeCozeAuthError({ code }, 'zh-CN');
      for (const text of [english, chinese]) {
        expect(text.title.trim()).not.toBe('');
        expect(text.description.trim()).not.toBe('');
        expect(text.title).not.toContain(code);
        expect(text.description).not.toContain(code);
      }
      expect(english).toMatchObject({ action: 'Try again', lang: 'en', logId: undefined });
      expect(chinese).toMatchObject({ action: '重试', lang: 'zh-CN', logId: undefined });
      expect(HAN.test(`${english.title}${english.description}`)).toBe(false);
      expect(HAN.test(chinese.title) && HAN.test(chinese.description)).toBe(true);
      // Chinese sentences end with Chinese punctuation, not an English full stop.
      expect(chinese.description).toMatch(/[。！？]$/);
      expect(english.description).toMatch(/\.$/);
    });
  });

  it('adds the log id line, follows the browser by default, and takes the provider’s overrides', () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['zh-CN']);
    expect(describeCozeAuthError({ code: 'server_error', logid: '20250101abc' })).toEqual({
      title: zhCNErrors.server_error.title,
      description: zhCNErrors.server_error.description,
      action: '重试',
      logId: '扣子日志 ID：20250101abc',
      lang: 'zh-CN',
    });
    expect(describeCozeAuthError({ code: 'server_error', logid: '20250101abc' }, 'en-US').logId).toBe('Coze log id: 20250101abc');
    const overridden = describeCozeAuthError({ code: 'access_denied' }, 'zh-TW', {
      tryAgain: '再试一次',
      errors: { access_denied: { title: '你拒绝了授权' } },
    });
    expect(overridden).toMatchObject({ title: '你拒绝了授权', description: zhCNErrors.access_denied.description, action: '再试一次' });
  });

  it('an unknown code reads as a generic sign-in failure instead of throwing', () => {
    const text = describeCozeAuthError({ code: 'from_the_future' as CozeAuthErrorCode }, 'en');
    expect(text.title).toBe(enErrors.authorization_error.title);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
