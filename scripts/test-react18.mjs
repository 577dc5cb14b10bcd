// @ts-check
// `npm run test:react18`: the Vitest suite's React test files on React 18 (the default `vitest run`
// covers React 19, and every file). Which files reach React, and so run here, is decided by
// scripts/react18-tests.mjs: the `.tsx` files, and the `.ts` files whose imports reach React
// (`node scripts/react18-tests.mjs` lists both sides).
// Installs React 18 into scripts/react18 on first use (its lockfile pins it), then runs Vitest with
// scripts/vitest.react18.config.ts. Extra arguments go to Vitest, e.g. `npm run test:react18 -- test/react`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const prefix = fileURLToPath(new URL('./react18', import.meta.url));
const wanted = JSON.parse(readFileSync(`${prefix}/package.json`, 'utf8')).dependencies;

/** @param {string} name */
function installedVersion(name) {
  const file = `${prefix}/node_modules/${name}/package.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

/** @param {string} command @param {string[]} args @param {string} cwd */
function run(command, args, cwd) {
  const child = spawnSync(command, args, { cwd, stdio: 'inherit' });
  return child.status ?? 1;
}

if (installedVersion('react') !== wanted.react || installedVersion('react-dom') !== wanted['react-dom']) {
  console.log(`test:react18: installing react@${wanted.react} and react-dom@${wanted['react-dom']} into scripts/react18`);
  const status = run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], prefix);
  if (status !== 0) {
    console.error('test:react18: could not install React 18');
    process.exit(status);
  }
}
console.log(`test:react18: running the suite on react@${installedVersion('react')}, react-dom@${installedVersion('react-dom')}`);
process.exit(run(`${root}node_modules/.bin/vitest`, ['run', '--config', 'scripts/vitest.react18.config.ts', ...process.argv.slice(2)], root));
