import type { CozeAuthUiMessages } from './types.js';

/** The components' own text in Simplified Chinese, worded as Coze (扣子) itself words it. */
export const zhCN: CozeAuthUiMessages = {
  lang: 'zh-CN',
  signIn: '使用扣子登录',
  redirecting: '正在跳转到扣子…',
  signingIn: '正在登录…',
  tryAgain: '重试',
  logId: '扣子日志 ID：{logid}',
};
