// @ts-check
// `npm run check:package`: checks what users actually install, the packed tarball.
//   1. build (skip with --no-build), and check the main entry imports no testing/msw/node: code
//   2. npm pack into a temp dir
//   3. publint and @arethetypeswrong/cli on that tarball; 'use client' on exactly the React modules
//   4. a consumer project (test/package/consumer) installs the tarball and only the required
//      peers, and imports every entry in Node (all but /testing/msw must load without msw); then
//      msw is added, /testing/msw must load too, and the project type-checks and builds a sample
//      app whose bundle must not contain the testing kit
// Exits non-zero if any step fails; the temp dir is kept then, for a look.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'react-coze-auth-package-'));
/** @type {{ step: string; ok: boolean }[]} */
const results = [];

/**
 * Runs a command with inherited output; records and returns whether it succeeded.
 * @param {string} step
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string; capture?: boolean }} [options]
 */
function run(step, command, args, options = {}) {
  console.log(`\n── ${step}\n$ ${command} ${args.join(' ')}`);
  const child = spawnSync(command, args, {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const ok = child.status === 0;
  results.push({ step, ok });
  if (!ok) console.error(`✗ ${step} (exit ${child.status ?? child.signal})`);
  return { ok, stdout: child.stdout ?? '' };
}

/** @param {string} step @param {boolean} ok @param {string} message */
function check(step, ok, message) {
  console.log(`\n── ${step}\n${ok ? '✓' : '✗'} ${message}`);
  results.push({ step, ok });
  return ok;
}

const bin = (name) => join(root, 'node_modules', '.bin', name);

function finish() {
  console.log('\n── summary');
  for (const { step, ok } of results) console.log(`${ok ? '✓' : '✗'} ${step}`);
  const failed = results.filter((result) => !result.ok).length;
  if (failed > 0) {
    console.error(`\ncheck:package: ${failed} step(s) failed; files kept in ${work}`);
    process.exit(1);
  }
  rmSync(work, { recursive: true, force: true });
  console.log('\ncheck:package: all steps passed');
}

// ── 1. build ───────────────────────────────────────────────────────────────
if (!process.argv.includes('--no-build') && !run('build', 'npm', ['run', 'build']).ok) finish();
run('main entry imports no testing, msw or node: code', process.execPath, [join(root, 'scripts/check-entry-imports.mjs')]);

// ── 2. pack ────────────────────────────────────────────────────────────────
const packed = run('npm pack', 'npm', ['pack', '--json', '--pack-destination', work], { capture: true });
if (!packed.ok) finish();
/** @type {{ filename: string; size: number; unpackedSize: number; files: { path: string }[] }} */
const pack = JSON.parse(packed.stdout)[0];
const tarball = join(work, pack.filename);
const files = pack.files.map((file) => file.path);
console.log(`${pack.filename}: ${pack.size} B packed, ${pack.unpackedSize} B unpacked, ${files.length} files`);
const stray = files.filter((file) => !/^(dist\/|package\.json$|README\.md$|LICENSE)/.test(file));
check('tarball holds only dist/, package.json, README, LICENSE', stray.length === 0, stray.length ? `unexpected: ${stray.join(', ')}` : 'ok');

// ── 3. publint and attw on the tarball ─────────────────────────────────────
run('publint (warnings count as errors)', bin('publint'), ['run', tarball, '--strict']);
// ESM-only package ("type": "module", exports with `import` only): the esm-only profile skips
// node10 and node16-from-CJS resolution, which an ESM-only package cannot satisfy by design.
run('arethetypeswrong (profile esm-only)', bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped']);

// ── 3b. 'use client' directives ───────────────────────────────────────────
// React Server Components frameworks (Next.js App Router) put a module on the client side only if
// its first statement is 'use client'. Every React module (hooks, components, browser APIs) must
// have it; the framework-agnostic core, the fake server and the entry barrels must not, so that
// server code can import `CozeSession`, constants and the testing server without a client boundary.
const CLIENT_DIRS = /^dist\/(react|query|testing\/react)\//;

/** The directive prologue of a module: the string-literal statements before anything else. @param {string} code */
function directives(code) {
  const found = [];
  let rest = code.replace(/^#!.*\n/, '');
  for (;;) {
    rest = rest.replace(/^(?:\s+|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '');
    const match = /^(["'])([^"'\\\n]*)\1\s*(?:;|\n|$)/.exec(rest);
    if (!match) return found;
    found.push(match[2]);
    rest = rest.slice(match[0].length);
  }
}

const unpacked = join(work, 'unpacked');
mkdirSync(unpacked);
if (run('unpack the tarball', 'tar', ['-xzf', tarball, '-C', unpacked]).ok) {
  const modules = files.filter((file) => file.startsWith('dist/') && /\.(m?js)$/.test(file));
  const clientModules = modules.filter((file) => CLIENT_DIRS.test(file));
  const missing = clientModules.filter((file) => directives(readFileSync(join(unpacked, 'package', file), 'utf8'))[0] !== 'use client');
  const unexpected = modules
    .filter((file) => !CLIENT_DIRS.test(file))
    .filter((file) => directives(readFileSync(join(unpacked, 'package', file), 'utf8')).includes('use client'));
  check(
    "'use client' is the first statement of every React module",
    clientModules.length > 0 && missing.length === 0,
    clientModules.length === 0 ? 'no React modules found under dist/react/' : missing.length ? `missing in: ${missing.join(', ')}` : `${clientModules.length} modules`,
  );
  check(
    "no 'use client' in the core, the fake server or the entry barrels",
    unexpected.length === 0,
    unexpected.length ? `found in: ${unexpected.join(', ')}` : `${modules.length - clientModules.length} modules`,
  );
}

// ── 4. consumer project ────────────────────────────────────────────────────
const consumer = join(work, 'consumer');
cpSync(join(root, 'test/package/consumer'), consumer, { recursive: true, filter: (src) => !src.includes('node_modules') });
// The template starts with two lines that keep the repo's own typecheck and lint away from it.
for (const file of readdirSync(join(consumer, 'src'))) {
  const path = join(consumer, 'src', file);
  const lines = readFileSync(path, 'utf8').split('\n');
  writeFileSync(path, lines.filter((line) => !/^\/\* eslint-disable @typescript-eslint\/ban-ts-comment|^\/\/ @ts-nocheck/.test(line)).join('\n'));
}
const dev = rootPackage.devDependencies;
const consumerPackage = JSON.parse(readFileSync(join(consumer, 'package.json'), 'utf8'));
// The required peers only, at the versions this repo develops with: an optional peer (msw) is
// added below, after every entry that must work without it has been imported.
const optionalPeers = new Set(Object.keys(rootPackage.peerDependenciesMeta ?? {}).filter((name) => rootPackage.peerDependenciesMeta[name].optional));
const requiredPeers = Object.keys(rootPackage.peerDependencies).filter((name) => !optionalPeers.has(name));
consumerPackage.dependencies = {
  'react-coze-auth': `file:${tarball}`,
  ...Object.fromEntries(requiredPeers.map((name) => [name, dev[name]])),
};
consumerPackage.devDependencies = {
  typescript: dev.typescript,
  vite: dev.vite,
  '@vitejs/plugin-react': dev['@vitejs/plugin-react'],
  '@types/react': dev['@types/react'],
  '@types/react-dom': dev['@types/react-dom'],
  '@types/node': dev['@types/node'],
  // @coze/api's own .d.ts imports 'jsonwebtoken' without depending on its types; with skipLibCheck
  // off every @coze/api user needs this (reported upstream-worthy, not ours to fix).
  '@types/jsonwebtoken': '^9.0.0',
};
writeFileSync(join(consumer, 'package.json'), `${JSON.stringify(consumerPackage, null, 2)}\n`);

const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
// Every public entry, from the exports map, so a new entry is checked without editing this file.
const entries = Object.keys(rootPackage.exports)
  .filter((key) => key !== './package.json')
  .map((key) => `react-coze-auth${key.slice(1)}`);
// Entries that exist to wrap an optional peer; every other one must import without any of them.
const needsMsw = (entry) => entry.endsWith('/msw');

// Imports each entry named on the command line in a Node process in the consumer project, as a
// user's test runner would. With --missing-msw each must fail for want of msw (and nothing else).
writeFileSync(
  join(consumer, 'import-entries.mjs'),
  `const missingMsw = process.argv[2] === '--missing-msw';
for (const entry of process.argv.slice(missingMsw ? 3 : 2)) {
  try {
    await import(entry);
    if (missingMsw) throw new Error('imported although msw is not installed');
    console.log('imported ' + entry);
  } catch (error) {
    if (missingMsw && /Cannot find (package|module) 'msw/.test(String(error.message))) console.log(entry + ' needs msw: ' + error.message);
    else { console.error(entry + ': ' + error.stack); process.exitCode = 1; }
  }
}
`,
);
/** @param {string} step @param {string[]} specifiers @param {boolean} [expectMissingMsw] */
function importEntries(step, specifiers, expectMissingMsw = false) {
  return run(step, process.execPath, ['import-entries.mjs', ...(expectMissingMsw ? ['--missing-msw'] : []), ...specifiers], { cwd: consumer });
}

const installed = run('consumer: npm install (tarball + required peers, no msw)', 'npm', NPM_INSTALL, { cwd: consumer });
if (installed.ok) {
  importEntries('consumer: every entry but /testing/msw imports without msw', entries.filter((entry) => !needsMsw(entry)));
  importEntries('consumer: /testing/msw asks for msw while it is missing', entries.filter(needsMsw), true);
}
const withMsw = installed.ok && run('consumer: npm install msw (the optional peer)', 'npm', [...NPM_INSTALL, '--save-dev', `msw@${dev.msw}`], { cwd: consumer });
if (withMsw && withMsw.ok) {
  importEntries('consumer: /testing/msw imports with msw installed', entries.filter(needsMsw));
  const tsc = join(consumer, 'node_modules/.bin/tsc');
  run('consumer: tsc, app + testing usage (Bundler resolution, strict, skipLibCheck off)', tsc, ['--noEmit', '-p', '.'], { cwd: consumer });
  run('consumer: tsc, Node script on /testing/node (NodeNext resolution)', tsc, ['--noEmit', '-p', 'tsconfig.node.json'], { cwd: consumer });
  const built = run('consumer: vite build', join(consumer, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: consumer });
  if (built.ok) {
    const assets = join(consumer, 'dist/assets');
    const scripts = readdirSync(assets).filter((file) => file.endsWith('.js'));
    const bundle = scripts.map((file) => readFileSync(join(assets, file), 'utf8')).join('\n');
    // Error texts of the fake Coze model and of MSW: present only if the testing kit leaked in.
    const leaked = ['Coze model:', '[MSW]'].filter((marker) => bundle.includes(marker));
    check('consumer: app bundle has no testing kit', leaked.length === 0, leaked.length ? `found ${leaked.join(', ')}` : `${scripts.length} chunks, none from react-coze-auth/testing`);
    check('consumer: oidc-client-ts is a lazy chunk', scripts.length > 1, `${scripts.join(', ')}`);
  }
}
finish();
