import type { CozeAuthErrorMessages } from './types.js';

/** What users are told about each error, in Simplified Chinese. */
export const zhCNErrors: CozeAuthErrorMessages = {
  invalid_config: { title: '登录配置有误', description: '此应用的扣子登录配置不正确，请联系应用开发者。' },
  invalid_callback_url: { title: '登录链接不完整', description: '从扣子返回的链接不完整，请重新登录。' },
  state_mismatch: { title: '无法验证本次登录', description: '本次登录不是在当前浏览器中发起的，或已被使用，请重新登录。' },
  missing_verifier: { title: '无法验证本次登录', description: '浏览器中保存的登录信息已丢失，请重新登录。' },
  access_denied: { title: '已取消授权', description: '你取消了授权。如需继续，请重新登录并同意授权。' },
  authorization_error: { title: '扣子授权失败', description: '扣子未能完成授权，请重试。' },
  invalid_grant: { title: '登录已失效', description: '你的扣子登录已失效，请重新登录。' },
  session_expired: { title: '登录已过期', description: '登录已过期，请重新登录。' },
  login_required: { title: '请先登录', description: '请使用扣子登录后继续。' },
  invalid_token_response: { title: '扣子返回异常', description: '扣子返回的内容无法识别，请稍后重试。' },
  server_error: { title: '扣子服务暂不可用', description: '扣子服务繁忙或暂时不可用，请稍后重试。' },
  network_error: { title: '无法连接到扣子', description: '网络连接异常，请检查网络后重试。' },
  unsafe_return_to: { title: '无法返回该页面', description: '登录后要返回的页面不属于此应用，请联系应用开发者。' },
  crypto_unavailable: { title: '需要安全连接', description: '使用扣子登录需要安全连接（HTTPS），请通过 HTTPS 打开此应用后重试。' },
  storage_unavailable: { title: '浏览器存储不可用', description: '登录需要使用浏览器存储。请允许此网站存储数据（或退出无痕模式）后重试。' },
};
