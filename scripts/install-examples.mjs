// @ts-check
// Installs the example apps (examples/*) for `npm run test:examples`, each from its own
// committed lockfile, with react-coze-auth as a copy of what `npm pack` would publish from this
// repository's dist/ (`"react-coze-auth": "file:../.."` plus `install-links=true` in its .npmrc).
//   - node_modules missing or older than the lockfile: `npm ci` in the example (a fresh machine).
//   - otherwise: only the react-coze-auth copy is replaced with a freshly packed one, so a local
//     re-run after `npm run build` takes a second instead of a reinstall.
// Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = ['nextjs-app-router', 'react-router'];

/** @param {string} command @param {string[]} args @param {string} cwd */
function run(command, args, cwd) {
  const started = Date.now();
  const child = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (child.status !== 0) {
    console.error(child.stdout);
    console.error(`install-examples: ${command} ${args.join(' ')} failed in ${cwd} (exit ${child.status ?? child.signal})`);
    process.exit(1);
  }
  return { stdout: child.stdout, ms: Date.now() - started };
}

if (!existsSync(join(root, 'dist/index.js'))) {
  console.error('install-examples: dist/ is missing: run `npm run build` first.');
  process.exit(1);
}

let packed = '';
function packedLibrary() {
  if (packed) return packed;
  const work = mkdtempSync(join(tmpdir(), 'react-coze-auth-examples-'));
  const { stdout } = run('npm', ['pack', '--json', '--pack-destination', work, '--loglevel=error'], root);
  const tarball = join(work, JSON.parse(stdout)[0].filename);
  run('tar', ['-xzf', tarball, '-C', work], root);
  packed = join(work, 'package');
  return packed;
}

for (const example of EXAMPLES) {
  const dir = join(root, 'examples', example);
  const lockfile = join(dir, 'package-lock.json');
  const installed = join(dir, 'node_modules/.package-lock.json');
  if (!existsSync(installed) || statSync(lockfile).mtimeMs > statSync(installed).mtimeMs) {
    const { ms } = run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    console.log(`install-examples: ${example}: npm ci in ${(ms / 1000).toFixed(1)} s`);
    continue;
  }
  const started = Date.now();
  const target = join(dir, 'node_modules/react-coze-auth');
  rmSync(target, { recursive: true, force: true });
  cpSync(packedLibrary(), target, { recursive: true });
  const version = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')).version;
  console.log(`install-examples: ${example}: react-coze-auth ${version} replaced with the current dist/ in ${Date.now() - started} ms`);
}
if (packed) rmSync(join(packed, '..'), { recursive: true, force: true });
