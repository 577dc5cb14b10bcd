import type { CozeAuthOptions } from 'react-coze-auth';
import { readStorageMode } from './storageMode';

const env = import.meta.env as Record<string, string | undefined>;

/** What `demo/serve.ts` handed over through COZE_DEMO_* variables. */
export const demoConfig = {
  mode: env.COZE_DEMO_MODE === 'coze' ? ('coze' as const) : ('local' as const),
  auth: {
    clientId: env.COZE_DEMO_CLIENT_ID ?? 'demo-spa',
    redirectUri: env.COZE_DEMO_REDIRECT_URI ?? `${window.location.origin}/callback`,
    baseURL: env.COZE_DEMO_BASE_URL ?? 'http://127.0.0.1:4010',
    webBaseURL: env.COZE_DEMO_WEB_BASE_URL || undefined,
    workspaceId: env.COZE_DEMO_WORKSPACE_ID || undefined,
    /** Switched in the top bar (`?storage=worker` works too); remembered across reloads. */
    tokenStorage: readStorageMode(),
  } satisfies CozeAuthOptions,
  /** The bot the chat panel talks to: the local server's echo bot, or COZE_BOT_ID on real Coze. */
  botId: env.COZE_DEMO_BOT_ID || undefined,
};
