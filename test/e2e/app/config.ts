/**
 * How the e2e app is configured for one page load.
 *
 * - Where the fake Coze runs comes from `window.__COZE_E2E_ENV__`, which the test harness
 *   injects into every page of a browser context (`context.addInitScript`): every test has its
 *   own fake server on its own ports, while the app is built once.
 * - Behaviour flags come from the URL query (`?storage=localStorage&strict=1&skew=10&poll=1000`),
 *   read once at startup. They are remembered in this tab's sessionStorage, so the page that
 *   comes back from Coze's consent page (`/callback?code=…`) runs with the same flags. Where
 *   sessionStorage is unusable (a test makes it throw, as some privacy modes do) they are
 *   remembered in localStorage instead, and where neither works, only the URL counts.
 */
import type { TokenStorageOption } from 'react-coze-auth';

export interface E2EEnv {
  apiOrigin: string;
  webOrigin: string;
  clientId: string;
  /** The bot the chat panel (on /chat) talks to: the fake server's echo bot. */
  botId: string;
}

export interface E2EFlags {
  storage: Extract<TokenStorageOption, string>;
  strict: boolean;
  /** refreshSkewSeconds; the library default when absent. */
  skew: number | undefined;
  /** Call GET /v1/users/me every this many ms (0: never). */
  poll: number;
}

const FLAGS_KEY = 'e2e.flags';
const FLAG_NAMES = ['storage', 'strict', 'skew', 'poll'] as const;
const STORAGES = ['sessionStorage', 'localStorage', 'memory', 'worker'] as const;

declare global {
  interface Window {
    __COZE_E2E_ENV__?: E2EEnv;
  }
}

export function readEnv(): E2EEnv | undefined {
  return window.__COZE_E2E_ENV__;
}

function parseFlags(params: URLSearchParams): E2EFlags {
  const storage = params.get('storage');
  const skew = params.get('skew');
  return {
    storage: STORAGES.find((name) => name === storage) ?? 'sessionStorage',
    strict: params.get('strict') === '1',
    skew: skew === null || skew === '' ? undefined : Number(skew),
    poll: Number(params.get('poll') ?? 0) || 0,
  };
}

/** The first of sessionStorage and localStorage that can be read and written, if any. */
function flagMemory(): Storage | undefined {
  for (const name of ['sessionStorage', 'localStorage'] as const) {
    try {
      const storage = window[name];
      storage.setItem(`${FLAGS_KEY}.probe`, '1');
      storage.removeItem(`${FLAGS_KEY}.probe`);
      return storage;
    } catch {
      // Unusable here (the getter or setItem throws): try the next one.
    }
  }
  return undefined;
}

/** Flags from the URL when it names any, else the ones this tab remembered, else defaults. */
export function readFlags(): E2EFlags {
  const params = new URLSearchParams(window.location.search);
  const memory = flagMemory();
  if (FLAG_NAMES.some((name) => params.has(name))) {
    const flags = parseFlags(params);
    memory?.setItem(FLAGS_KEY, JSON.stringify(flags));
    return flags;
  }
  const remembered = memory?.getItem(FLAGS_KEY);
  if (remembered) return JSON.parse(remembered) as E2EFlags;
  return parseFlags(new URLSearchParams());
}

/** `?returnTo=` of this page load, for the login button (not remembered). */
export function readReturnTo(): string | undefined {
  return new URLSearchParams(window.location.search).get('returnTo') ?? undefined;
}
