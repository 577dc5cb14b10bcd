import { DEFAULT_COZE_USER, DEFAULT_COZE_WORKSPACES, personalWorkspaceFor } from './defaultFixtures.js';
import type { CozeUser, CozeWorkspace } from './types.js';

/** The users the fake server knows, their workspaces, and who is signed in at the web host. */
export class UserDirectory {
  readonly #users = new Map<string, CozeUser>();
  readonly #workspaces = new Map<string, readonly CozeWorkspace[]>();
  readonly signedInUser: CozeUser;

  constructor(
    users: readonly CozeUser[] | undefined,
    workspaces: Record<string, CozeWorkspace[]> | undefined,
    signedInUserId: string | undefined,
  ) {
    const list = users && users.length > 0 ? users : [DEFAULT_COZE_USER];
    for (const user of list) {
      this.#users.set(user.user_id, { ...user });
      const own =
        workspaces?.[user.user_id] ??
        (user.user_id === DEFAULT_COZE_USER.user_id
          ? DEFAULT_COZE_WORKSPACES
          : [personalWorkspaceFor(user)]);
      this.#workspaces.set(user.user_id, own.map((workspace) => ({ ...workspace })));
    }
    const signedIn = this.#users.get(signedInUserId ?? list[0]?.user_id ?? '');
    if (!signedIn) throw new TypeError(`Coze model: unknown signedInUserId ${String(signedInUserId)}`);
    this.signedInUser = signedIn;
  }

  user(userId: string): CozeUser | undefined {
    return this.#users.get(userId);
  }

  workspacesOf(userId: string): readonly CozeWorkspace[] {
    return this.#workspaces.get(userId) ?? [];
  }

  workspace(userId: string, workspaceId: string): CozeWorkspace | undefined {
    return this.workspacesOf(userId).find((workspace) => workspace.id === workspaceId);
  }
}
