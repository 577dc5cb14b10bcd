import type { CozeUser, CozeWorkspace } from './types.js';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// Inline so the page needs nothing but this one response (no asset routes, works offline).
const STYLE = `
:root { color-scheme: light dark; --accent: #4d53e8; --muted: #6b7280; --border: #e5e7eb; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 24px;
  font: 15px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif;
  background: #f4f5fb; color: #111827; }
main { width: 100%; max-width: 420px; background: #fff; border: 1px solid var(--border);
  border-radius: 16px; padding: 32px; box-shadow: 0 10px 30px rgb(17 24 39 / 8%); }
.brand { display: flex; align-items: center; gap: 8px; font-weight: 600; color: var(--accent);
  margin-bottom: 20px; }
.brand span { display: inline-grid; place-items: center; width: 28px; height: 28px;
  border-radius: 8px; background: var(--accent); color: #fff; font-size: 14px; }
h1 { font-size: 20px; margin: 0 0 8px; }
p { margin: 0 0 16px; color: var(--muted); }
.card { display: flex; align-items: center; gap: 12px; padding: 12px; border: 1px solid var(--border);
  border-radius: 12px; margin-bottom: 16px; }
.card img { width: 40px; height: 40px; border-radius: 50%; }
.card strong { display: block; color: #111827; }
.card small { color: var(--muted); }
ul { margin: 0 0 24px; padding-left: 20px; color: #374151; }
.actions { display: flex; gap: 12px; }
button { flex: 1; padding: 10px 16px; border-radius: 10px; font: inherit; font-weight: 600;
  cursor: pointer; border: 1px solid var(--border); background: #fff; color: #111827; }
button[value="approve"] { background: var(--accent); border-color: var(--accent); color: #fff; }
button:focus-visible { outline: 3px solid rgb(77 83 232 / 40%); outline-offset: 2px; }
.note { font-size: 13px; margin: 16px 0 0; }
@media (prefers-color-scheme: dark) {
  body { background: #0b0d14; color: #f3f4f6; }
  main, button { background: #151823; border-color: #2a2f3f; color: #f3f4f6; }
  .card { border-color: #2a2f3f; } .card strong, ul { color: #e5e7eb; }
}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="brand" aria-hidden="true"><span>C</span>Coze (fake)</div>
${body}
</main>
</body>
</html>`;
}

/** What the consent page shows. */
export interface ConsentPageContent {
  appName: string;
  user: CozeUser;
  workspace?: CozeWorkspace;
  /** Where the app will receive the answer; shown so the user can spot a look-alike app. */
  redirectOrigin: string;
  decisionUrl: string;
  pendingId: string;
}

/** The consent page. Its form carries the pending request id only, never the OAuth parameters. */
export function renderConsentPage(content: ConsentPageContent): string {
  const appName = escapeHtml(content.appName);
  const { user, workspace } = content;
  const workspaceLine = workspace
    ? `<li>Act in the workspace <strong>${escapeHtml(workspace.name)}</strong></li>`
    : '<li>List your workspaces</li>';
  return page(
    `Authorize ${content.appName}`,
    `<h1 id="consent-title">Authorize ${appName}</h1>
<p>${appName} wants to access your Coze account.</p>
<div class="card" role="group" aria-label="Signed in as">
  <img src="${escapeHtml(user.avatar_url)}" alt="">
  <div><strong>${escapeHtml(user.nick_name)}</strong><small>@${escapeHtml(user.user_name)}</small></div>
</div>
<ul aria-label="Permissions requested">
  <li>Read your profile</li>
  ${workspaceLine}
</ul>
<form method="post" action="${escapeHtml(content.decisionUrl)}" aria-labelledby="consent-title">
  <input type="hidden" name="request_id" value="${escapeHtml(content.pendingId)}">
  <div class="actions">
    <button type="submit" name="decision" value="deny" aria-label="Cancel and return to ${appName}">Cancel</button>
    <button type="submit" name="decision" value="approve" aria-label="Authorize ${appName}">Authorize</button>
  </div>
</form>
<p class="note">You will be sent back to ${escapeHtml(content.redirectOrigin)}.</p>`,
  );
}

/** The page Coze shows when it cannot trust the redirect URI, so it must not redirect. */
export function renderErrorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p role="alert">${escapeHtml(message)}</p>`);
}
