// @vitest-environment node
// 7. and hydration: every component renders on a server (no window, document or storage) and the
// browser hydrates that markup without a mismatch, signed out and signed in.
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../../src/core/storage/storageAdapters';
import { CozeAuthProvider, CozeCallback, CozeLoginButton, RequireCozeAuth, useCozeAuth, useCozeMessages } from '../../src/react/index';
import { TEST_API_ORIGIN } from '../../src/testing/index';
import { hydrate, signedInStorage } from '../helpers/ssr';

const OPTIONS = { clientId: 'ssr-app', redirectUri: 'http://localhost/callback', baseURL: TEST_API_ORIGIN };

function Status(): ReactNode {
  const { status, isAuthenticated } = useCozeAuth();
  return <output data-testid="status">{`${status}:${String(isAuthenticated)}`}</output>;
}

interface AppProps {
  tokenStorage?: ReturnType<typeof createMemoryStorage>;
  locale?: string;
  /** Called with the login label of every render, in order. */
  onLabel?: (label: string) => void;
}

function LabelProbe({ onLabel }: { onLabel: (label: string) => void }): ReactNode {
  onLabel(useCozeMessages().messages.signIn);
  return null;
}

function App({ tokenStorage, locale, onLabel }: AppProps): ReactNode {
  return (
    <CozeAuthProvider {...OPTIONS} tokenStorage={tokenStorage} locale={locale}>
      {onLabel ? <LabelProbe onLabel={onLabel} /> : null}
      <Status />
      <CozeLoginButton />
      <RequireCozeAuth autoRedirect={false} fallback={<p>checking…</p>}>
        <p>protected content</p>
      </RequireCozeAuth>
      <CozeCallback />
    </CozeAuthProvider>
  );
}

describe('server rendering and hydration', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('renders every component on a server with no window, in the neutral loading state', () => {
    expect(typeof window).toBe('undefined');
    const html = renderToString(<App />);
    expect(html).toContain('loading:false');
    expect(html).toContain('checking…');
    expect(html).toContain('Sign in with Coze');
    expect(html).not.toContain('protected content');
  });

  it.each([
    ['signed out', undefined, 'signed-out:false'],
    ['signed in', () => signedInStorage(OPTIONS.clientId), 'signed-in:true'],
  ] as const)('hydrates without a mismatch when %s, then shows the real state', async (_name, storage, expected) => {
    const html = renderToString(<App />);
    const { recoverable, consoleErrors, text } = await hydrate(html, <App tokenStorage={storage?.()} />);
    expect(recoverable).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(text).toContain(expected);
    if (expected === 'signed-in:true') expect(text).toContain('protected content');
  });

  it('renders Chinese on a server when the provider says locale="zh-CN"', () => {
    const html = renderToString(<App locale="zh-CN" />);
    expect(html).toContain('使用扣子登录');
    expect(html).toContain('lang="zh-CN"');
    expect(html).not.toContain('Sign in with Coze');
  });

  it('without a locale, a server renders English whatever the platform says', () => {
    vi.stubGlobal('navigator', { language: 'zh-CN', languages: ['zh-CN'] });
    const html = renderToString(<App />);
    expect(html).toContain('Sign in with Coze');
    expect(html).toContain('lang="en"');
  });

  it('hydrates the English markup, then switches to the browser’s language without a mismatch', async () => {
    const html = renderToString(<App />);
    const labels: string[] = [];
    const { recoverable, consoleErrors, text, markup } = await hydrate(html, <App onLabel={(label) => labels.push(label)} />, {
      languages: ['zh-CN', 'zh', 'en'],
    });
    expect(recoverable).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // The hydrating render agrees with the server; the next one speaks the browser's language.
    expect(labels[0]).toBe('Sign in with Coze');
    expect(labels.at(-1)).toBe('使用扣子登录');
    expect(text).toContain('使用扣子登录');
    expect(markup).toContain('lang="zh-CN"');
    expect(markup).not.toContain('lang="en"');
  });

  it('hydrates a zh-CN server render with locale="zh-CN" as it is', async () => {
    const html = renderToString(<App locale="zh-CN" />);
    const labels: string[] = [];
    const { recoverable, consoleErrors, text } = await hydrate(html, <App locale="zh-CN" onLabel={(label) => labels.push(label)} />, {
      languages: ['en-US'],
    });
    expect(recoverable).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(new Set(labels)).toEqual(new Set(['使用扣子登录']));
    expect(text).toContain('使用扣子登录');
  });
});
