import type { CozeBot, CozeUser, CozeWorkspace } from './types.js';

/**
 * An avatar as a data: URL (initials on a disc), so demos, stories and browser tests render one
 * without reaching the internet.
 */
export function initialsAvatarUrl(initials: string): string {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">' +
    '<rect width="64" height="64" rx="32" fill="#4d53e8"/>' +
    `<text x="32" y="41" font-family="sans-serif" font-size="26" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

/** The user the fake server signs in when no `users` are given. */
export const DEFAULT_COZE_USER: Readonly<CozeUser> = Object.freeze({
  user_id: '7480000000000000001',
  user_name: 'coze_tester',
  nick_name: 'Coze Tester',
  avatar_url: initialsAvatarUrl('CT'),
});

/** The default user's workspaces: a personal one and a team one. */
export const DEFAULT_COZE_WORKSPACES: readonly Readonly<CozeWorkspace>[] = Object.freeze([
  Object.freeze({
    id: '7480000000000000101',
    name: 'Personal',
    icon_url: '',
    role_type: 'owner',
    workspace_type: 'personal',
  }),
  Object.freeze({
    id: '7480000000000000102',
    name: 'Team Space',
    icon_url: '',
    role_type: 'member',
    workspace_type: 'team',
    enterprise_id: '7480000000000000900',
  }),
]);

/** Every Coze user has a personal workspace; give one to users the options left without. */
export function personalWorkspaceFor(user: CozeUser): CozeWorkspace {
  return {
    id: `${user.user_id}-personal`,
    name: 'Personal',
    icon_url: '',
    role_type: 'owner',
    workspace_type: 'personal',
  };
}

/** The bot that `POST /v3/chat` answers as when no `bots` are given. */
export const DEFAULT_COZE_BOT: Readonly<CozeBot> = Object.freeze({
  bot_id: '7480000000000000201',
  name: 'Echo Bot',
});

/**
 * A bot's default answer: a fixed reply to a greeting, otherwise the question said back. Plain
 * and deterministic, so that tests can assert the whole streamed text.
 *
 * @example
 * echoAnswer('What is PKCE?'); // 'You said: What is PKCE?'
 */
export function echoAnswer(question: string): string {
  const text = question.trim();
  if (/^(?:hi|hello)\b|^你好/i.test(text)) {
    return 'Hello! I am the echo bot of the local Coze server. Ask me anything and I will say it back.';
  }
  return text ? `You said: ${text}` : 'I only read text messages.';
}
