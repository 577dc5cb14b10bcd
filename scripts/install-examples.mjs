// @ts-check
// Installs the example apps (examples/*) for `npm run test:examples`, each from its own
// committed lockfile, with react-coze-auth as a copy of what `npm pack` would publish from this
// repository's dist/ (`"react-coze-auth": "file:../.."` plus `install-links=true` in its .npmrc).
//   - node_modules missing or older than the lockfile: `npm ci` in the example (a fresh machine);
//     the examples install side by side, as that is mostly waiting for the network and the disk.
//   - otherwise: only the react-coze-auth copy is replaced with a freshly packed one, so a local
//     re-run after `npm run build` takes seconds instead of a reinstall.
// Run `npm run build` first.
//
// `--deps-only` (used by .ci/run in the background while lint and unit tests run, to hide the
// download time): only the `npm ci` part, dist/ not needed. It holds examples/.install.lock; a
// normal run waits for that lock first, then puts the current dist/ in place.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = ['nextjs-app-router', 'react-router'];

const depsOnly = process.argv.includes('--deps-only');
const lock = join(root, 'examples/.install.lock');

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Another run (the background one of .ci/run) is installing: wait for it, however it ends.
if (existsSync(lock)) {
  const holder = Number(readFileSync(lock, 'utf8'));
  if (holder && holder !== process.pid && alive(holder)) {
    console.log(`install-examples: waiting for the install in progress (pid ${holder})…`);
    const started = Date.now();
    while (existsSync(lock) && alive(holder)) await new Promise((resolve) => setTimeout(resolve, 250));
    console.log(`install-examples: waited ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

if (!depsOnly && !existsSync(join(root, 'dist/index.js'))) {
  console.error('install-examples: dist/ is missing: run `npm run build` first.');
  process.exit(1);
}

/** `npm ci` in one example; resolves with the time it took, rejects with its output. @param {string} dir */
function npmCi(dir) {
  const started = Date.now();
  const child = spawn('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(Date.now() - started) : reject(new Error(`npm ci failed in ${dir} (exit ${code}):\n${output}`))));
  });
}

/** Packs the library once and returns the unpacked `package/` directory. */
function packLibrary() {
  const work = mkdtempSync(join(tmpdir(), 'react-coze-auth-examples-'));
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', work, '--loglevel=error'], { cwd: root, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const tarball = join(work, JSON.parse(packed.stdout)[0].filename);
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', work], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`tar failed:\n${untar.stderr}`);
  return join(work, 'package');
}

const needsInstall = (/** @type {string} */ dir) => {
  const installed = join(dir, 'node_modules/.package-lock.json');
  return !existsSync(installed) || statSync(join(dir, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs;
};

const dirs = EXAMPLES.map((example) => ({ example, dir: join(root, 'examples', example) }));
const fresh = dirs.filter(({ dir }) => needsInstall(dir));
if (depsOnly) writeFileSync(lock, String(process.pid));
const installed = await Promise.allSettled(fresh.map(({ dir }) => npmCi(dir)));
if (depsOnly) rmSync(lock, { force: true });
let failed = false;
installed.forEach((result, index) => {
  const { example } = /** @type {{ example: string }} */ (fresh[index]);
  if (result.status === 'fulfilled') console.log(`install-examples: ${example}: npm ci in ${(result.value / 1000).toFixed(1)} s`);
  else {
    failed = true;
    console.error(`install-examples: ${example}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
  }
});
if (failed) process.exit(1);
if (depsOnly) process.exit(0);

const stale = dirs.filter((entry) => !fresh.includes(entry));
if (stale.length > 0) {
  const started = Date.now();
  const packed = packLibrary();
  for (const { example, dir } of stale) {
    const target = join(dir, 'node_modules/react-coze-auth');
    rmSync(target, { recursive: true, force: true });
    cpSync(packed, target, { recursive: true });
    const { version } = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
    console.log(`install-examples: ${example}: react-coze-auth ${version} replaced with the current dist/`);
  }
  rmSync(join(packed, '..'), { recursive: true, force: true });
  console.log(`install-examples: packed and copied in ${Date.now() - started} ms`);
}
