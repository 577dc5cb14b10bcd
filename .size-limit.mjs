// Size budgets, checked by `npm run size` on what Vite makes of dist/ in an app (see
// scripts/size-probe.mjs, which writes the files and manifest.json measured here).
// Peers (react, react-dom, @tanstack/react-query, @coze/api) are external; /testing imports no msw
// (that is /testing/msw), so msw would be bundled, and counted, if it leaked in.
// 1 kB = 1000 bytes, gzip level 9.
import { existsSync, readFileSync } from 'node:fs';

const dir = 'node_modules/.cache/size-probe';
if (!existsSync(`${dir}/manifest.json`)) {
  throw new Error('size-limit: run `node scripts/size-probe.mjs` first (`npm run size` does).');
}
const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));

// The initial entry is what delays an app's first render: the session's eager shell (stored state,
// the redirect, recognising a callback), the provider and the components. The session engine
// (refresh, other tabs, timers), the sign-in flow with oidc-client-ts and the error notice with its
// texts are lazy chunks, counted in the total.
// The minimal app's initial entry was 5.65 kB (budget 5.75) before the early code exchange: a
// session built on its callback page sends the exchange at once instead of after the sign-in
// chunk (0.3 kB; a cold-cache callback 1065 → 859 ms in `npm run bench`, within a round trip of the
// floor), plus what hostile review 6 made it do (0.07 kB) and worker mode's switch (0.05 kB), 6.14 kB.
// The shell then gave the engine the redirect (login waits for both chunks, downloaded side by
// side) and lends it one record instead of a set of accessors: 6.08 kB. Moving the callback's steps
// too (5.96 kB) let a sign-out or another tab's sign-in made while the engine downloads be undone
// (hostile review 8), so they stay in the shell. A session built while another session of its
// client completes this page's callback (a provider remounted with a new session mid-exchange)
// joins that sign-in instead of starting signed out, ends as it did, and its sign-out ends it
// (hostile reviews 9–16): 0.49 kB, 6.57 kB. Issue 15's 5.5 kB is not met; what the rest costs,
// measured by taking each part out of the build: the early exchange with recognising the callback
// 0.51 kB, the Chinese/English texts with detection and overrides 0.39 kB, the callback's error
// notice 0.21 kB, validating a stored sign-in 0.11 kB, the bindings the lazy chunks share 0.10 kB.
// Every export grew past its first 6.5 kB with features asked for since: the 401 rule around
// @coze/api's axios instance (0.7 kB), the TanStack binding's own provider and cleanup, and a
// selector hook so useCozeToken re-renders only for its slice. /testing grew with the chat
// endpoint and the kit's pending-login, navigation and event-log helpers.
export default [
  {
    name: 'react-coze-auth — initial entry of an app using the provider, login button, callback and a token (oidc-client-ts stays lazy)',
    path: manifest.minimal.initial,
    gzip: true,
    limit: '6.6 kB',
  },
  {
    name: 'react-coze-auth — initial: every export of the main entry',
    path: manifest.main.initial,
    gzip: true,
    limit: '7.85 kB',
  },
  {
    name: 'react-coze-auth — total: initial + lazy chunks (session engine, sign-in flow with oidc-client-ts, error notice)',
    // Worker mode's chunk and the vault worker are downloaded only by apps that choose it: their own line below.
    path: [`${dir}/main/**/*.js`, `!${dir}/main/chunks/vaultLink-*.js`, `!${dir}/main/assets/vaultWorker-*.js`],
    gzip: true,
    limit: '21.5 kB',
  },
  {
    name: "react-coze-auth — what tokenStorage: 'worker' adds: the vault link chunk and the vault worker script",
    path: [`${dir}/main/chunks/vaultLink-*.js`, `${dir}/main/assets/vaultWorker-*.js`],
    gzip: true,
    limit: '6.5 kB',
  },
  {
    name: 'react-coze-auth/testing — what the browser entry adds to the main library (no msw)',
    path: `${dir}/testing/**/*.js`,
    gzip: true,
    limit: '12.55 kB',
  },
];
