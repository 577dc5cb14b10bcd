import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, within } from 'storybook/test';
import { type CozeAuthErrorCode, type CozeAuthUiMessages } from '../src/index';
import { describeCozeAuthError } from '../src/i18n';
import { enErrors } from '../src/react/i18n/errors.en';
import { en } from '../src/react/i18n/messages.en';
import { zhCN } from '../src/react/i18n/messages.zhCN';

const UI_KEYS: { key: Exclude<keyof CozeAuthUiMessages, 'lang'>; where: string }[] = [
  { key: 'signIn', where: 'CozeLoginButton' },
  { key: 'redirecting', where: 'CozeLoginButton, while leaving for Coze' },
  { key: 'signingIn', where: 'CozeCallback while exchanging the code; RequireCozeAuth fallback' },
  { key: 'tryAgain', where: 'the error notice’s button (a fresh sign-in)' },
  { key: 'logId', where: 'the error notice’s support line' },
];
const CODES = Object.keys(enErrors) as CozeAuthErrorCode[];

function Cell({ lang, children }: { lang: string; children: ReactNode }): ReactNode {
  return <td lang={lang}>{children}</td>;
}

/** Every string the components render, in English and Simplified Chinese, with its key in `messages`. */
function StringTable(): ReactNode {
  return (
    <div className="demo-root">
      <div className="demo-main">
        <table className="demo-strings">
          <caption>
            The components’ own text. Override any of it with <code>{'<CozeAuthProvider messages={…}>'}</code>; a component’s
            own props (<code>children</code>, <code>loading</code>, <code>error</code>…) win over both.
          </caption>
          <thead>
            <tr>
              <th scope="col">key</th>
              <th scope="col">en</th>
              <th scope="col">zh-CN</th>
            </tr>
          </thead>
          <tbody>
            {UI_KEYS.map(({ key, where }) => (
              <tr key={key} data-key={key}>
                <th scope="row">
                  <code>{key}</code>
                  <span className="demo-muted demo-small">{where}</span>
                </th>
                <Cell lang={en.lang}>{en[key]}</Cell>
                <Cell lang={zhCN.lang}>{zhCN[key]}</Cell>
              </tr>
            ))}
            {CODES.map((code) => {
              const english = describeCozeAuthError({ code }, 'en');
              const chinese = describeCozeAuthError({ code }, 'zh-CN');
              return (
                <tr key={code} data-key={`errors.${code}`}>
                  <th scope="row">
                    <code>errors.{code}</code>
                  </th>
                  <Cell lang={english.lang}>
                    <strong>{english.title}</strong> {english.description}
                  </Cell>
                  <Cell lang={chinese.lang}>
                    <strong>{chinese.title}</strong> {chinese.description}
                  </Cell>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * What users read, in both languages: the `<CozeAuthProvider locale>` (or the browser's language)
 * picks the table; `describeCozeAuthError(error, locale)` gives the error texts to apps that
 * draw their own error UI. `error.message` stays English, for developers and logs.
 */
const meta = {
  title: 'Languages',
  component: StringTable,
  parameters: { layout: 'fullscreen' },
} satisfies Meta<typeof StringTable>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Every key, English and Chinese side by side; each cell says its `lang`. */
export const AllStrings: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const rows = canvas.getAllByRole('row').slice(1);
    await expect(rows).toHaveLength(UI_KEYS.length + CODES.length);
    const accessDenied = canvasElement.querySelector('[data-key="errors.access_denied"]');
    await expect(accessDenied).toHaveTextContent('你取消了授权');
    await expect(canvas.getByText('使用扣子登录')).toHaveAttribute('lang', 'zh-CN');
  },
};
