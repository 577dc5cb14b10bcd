import type { CozeUser, CozeWorkspace } from '../../src/testing/index';

/** An initials avatar as a data: URL, so stories render offline. */
export function initialsAvatar(initials: string, background = '#4d53e8'): string {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">' +
    `<rect width="96" height="96" rx="48" fill="${background}"/>` +
    '<text x="48" y="60" font-family="Inter, Segoe UI, Roboto, Helvetica, Arial, sans-serif" font-size="36" ' +
    `font-weight="600" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

/** The user signed in at the fake Coze in most stories. */
export const STORY_USER: CozeUser = {
  user_id: '7428619302145630218',
  user_name: 'ada.lovelace',
  nick_name: 'Ada Lovelace',
  avatar_url: initialsAvatar('AL'),
};

/** A second user, for stories that show whose data is on screen. */
export const OTHER_USER: CozeUser = {
  user_id: '7428619302145630377',
  user_name: 'grace.hopper',
  nick_name: 'Grace Hopper',
  avatar_url: initialsAvatar('GH', '#0f766e'),
};

/** Ada's workspaces: a personal one and three team spaces with different roles. */
export const STORY_WORKSPACES: readonly CozeWorkspace[] = [
  { id: '7428619302145631001', name: 'Personal', icon_url: '', role_type: 'owner', workspace_type: 'personal' },
  {
    id: '7428619302145631002',
    name: 'Analytical Engines Ltd.',
    icon_url: '',
    role_type: 'admin',
    workspace_type: 'team',
    enterprise_id: '7428619302145639000',
  },
  {
    id: '7428619302145631003',
    name: 'Customer Support Bots',
    icon_url: '',
    role_type: 'member',
    workspace_type: 'team',
    enterprise_id: '7428619302145639000',
  },
  { id: '7428619302145631004', name: 'Poetical Science Lab', icon_url: '', role_type: 'member', workspace_type: 'team' },
];
