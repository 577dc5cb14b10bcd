/**
 * `npm run test:stories`: opens every story of the built Storybook (storybook-static/) in headless
 * Chromium, waits for its play function and the a11y addon's axe run (colour contrast included,
 * which jsdom cannot check), and saves a screenshot of each to /tmp/storybook-shots/.
 * Fails when a story errors, its play function throws, or axe reports a violation.
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium), STORYBOOK_DIR (default storybook-static),
 * SHOTS_DIR (default /tmp/storybook-shots), STORY_FILTER (substring of story ids to run).
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const STATIC_DIR = process.env.STORYBOOK_DIR ?? 'storybook-static';
const SHOTS_DIR = process.env.SHOTS_DIR ?? '/tmp/storybook-shots';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FILTER = process.env.STORY_FILTER ?? '';
const STORY_TIMEOUT_MS = 20_000;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

interface IndexEntry {
  id: string;
  title: string;
  name: string;
  type: 'story' | 'docs';
}

interface StoryOutcome {
  status?: 'success' | 'error';
  errors: string[];
  a11y?: { status: string; violations: { id: string; impact?: string; help: string; nodes: { target: unknown[] }[] }[] };
}

function serve(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(normalize(dir))) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Subscribes to the preview's channel as soon as it exists, before the story renders. */
const CAPTURE_SCRIPT = `
  window.__storyOutcome = { errors: [] };
  const attach = () => {
    const channel = window.__STORYBOOK_ADDONS_CHANNEL__;
    if (!channel) return setTimeout(attach, 2);
    const outcome = window.__storyOutcome;
    const describe = (error) => (error && (error.message || error.description || error.title)) || String(error);
    channel.on('storyErrored', (error) => outcome.errors.push('storyErrored: ' + describe(error)));
    channel.on('storyThrewException', (error) => outcome.errors.push('storyThrewException: ' + describe(error)));
    channel.on('playFunctionThrewException', (error) => outcome.errors.push('playFunctionThrewException: ' + describe(error)));
    channel.on('unhandledErrorsWhilePlaying', (errors) => outcome.errors.push('unhandledErrorsWhilePlaying: ' + errors.map(describe).join('; ')));
    channel.on('storyFinished', (event) => {
      outcome.status = event.status;
      const report = (event.reporters || []).find((r) => r.type === 'a11y');
      if (report) outcome.a11y = { status: report.status, violations: (report.result && report.result.violations) || [] };
      if (report && report.result && report.result.error) outcome.errors.push('a11y: ' + describe(report.result.error));
    });
  };
  attach();
`;

async function checkStory(page: Page, origin: string, entry: IndexEntry): Promise<string[]> {
  const problems: string[] = [];
  const pageErrors: string[] = [];
  page.removeAllListeners('pageerror');
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${origin}/iframe.html?id=${entry.id}&viewMode=story`, { waitUntil: 'load' });
  try {
    await page.waitForFunction(
      () => (window as unknown as { __storyOutcome: StoryOutcome }).__storyOutcome.status !== undefined,
      undefined,
      { timeout: STORY_TIMEOUT_MS, polling: 50 },
    );
  } catch {
    problems.push(`did not finish within ${STORY_TIMEOUT_MS / 1000} s`);
  }
  const outcome = await page.evaluate(() => (window as unknown as { __storyOutcome: StoryOutcome }).__storyOutcome);
  if (outcome.status === 'error') problems.push('story finished with status "error"');
  problems.push(...outcome.errors, ...pageErrors.map((message) => `page error: ${message}`));
  if (!outcome.a11y) problems.push('no a11y report');
  for (const violation of outcome.a11y?.violations ?? []) {
    const targets = violation.nodes.map((node) => node.target.join(' ')).join(', ');
    problems.push(`a11y ${violation.impact ?? ''} ${violation.id}: ${violation.help} (${targets})`);
  }
  // Let transitions and the live clock settle, then take the picture.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOTS_DIR, `${entry.id}.png`), fullPage: true });
  return problems;
}

async function shootDocs(page: Page, origin: string, entry: IndexEntry): Promise<string[]> {
  await page.goto(`${origin}/iframe.html?id=${entry.id}&viewMode=docs`, { waitUntil: 'load' });
  await page.waitForSelector('.sbdocs-content', { timeout: STORY_TIMEOUT_MS });
  await page.waitForTimeout(2500);
  await page.screenshot({ path: join(SHOTS_DIR, `${entry.id}.png`), fullPage: true });
  const errorShown = await page.locator('.sb-errordisplay:visible').count();
  return errorShown > 0 ? ['docs page shows an error'] : [];
}

async function main(): Promise<void> {
  if (!existsSync(join(STATIC_DIR, 'index.json'))) {
    throw new Error(`${STATIC_DIR}/index.json not found: run npm run build-storybook first`);
  }
  mkdirSync(SHOTS_DIR, { recursive: true });
  const index = JSON.parse(readFileSync(join(STATIC_DIR, 'index.json'), 'utf8')) as { entries: Record<string, IndexEntry> };
  const entries = Object.values(index.entries).filter((entry) => entry.id.includes(FILTER));

  const server = await serve(STATIC_DIR);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let browser: Browser | undefined;
  let failures = 0;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
    await context.addInitScript({ content: CAPTURE_SCRIPT });
    const page = await context.newPage();
    for (const entry of entries) {
      const started = Date.now();
      const problems = entry.type === 'docs' ? await shootDocs(page, origin, entry) : await checkStory(page, origin, entry);
      const took = `${Date.now() - started} ms`;
      if (problems.length === 0) {
        console.log(`✓ ${entry.title} › ${entry.name} (${took})`);
      } else {
        failures += 1;
        console.log(`✗ ${entry.title} › ${entry.name} (${took})`);
        for (const problem of problems) console.log(`    ${problem}`);
      }
    }
  } finally {
    await browser?.close();
    server.close();
  }
  console.log(`\n${entries.length - failures} passed, ${failures} failed; screenshots in ${SHOTS_DIR}`);
  if (failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
