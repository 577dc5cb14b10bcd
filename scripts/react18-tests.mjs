// @ts-check
// Which unit test files `npm run test:react18` runs on React 18 (scripts/vitest.react18.config.ts).
//
// The React 18 run checks the React layer on React 18; a test file that never calls into React
// would run the same code twice and prove nothing new (the default `vitest run` already runs it,
// on React 19). The rule, decided from the sources so new files are classified without a list:
//
//   A test file (test/**/*.test.{ts,tsx}, not test/e2e) runs on React 18 unless it is a `.ts`
//   file none of whose value imports reaches React. Imports are followed from the test file
//   through every relative module it imports, statically or with a literal `import('…')`,
//   transitively (test helpers and src/ alike). React is reached by:
//     - any package whose name contains "react" (react, react-dom, @testing-library/react,
//       @tanstack/react-query, the package's own name react-coze-auth) or any @storybook/ package;
//     - any `.tsx` module;
//     - any module of src/ outside src/core/, src/vault/ and src/testing/ (src/react, src/query,
//       src/index.ts, src/i18n.ts), or under src/testing/react/.
//   `import type` / `export type` are erased and not followed. A re-export
//   (`export { a, b } from './x'`) is followed only when the importer imports one of its names
//   by name; a namespace, default or side-effect import of a module follows all its re-exports.
//   That is what keeps `import { TEST_CLIENT_ID } from 'src/testing/index'` React-free while
//   `import { MockCozeAuthProvider } from 'src/testing/index'` is not.
//   Anything the scanner cannot resolve counts as React (the file stays in the React 18 run).
//
// test/setup.ts (imports @testing-library/react for its `cleanup`, in every file) is not part of
// the decision: a file whose own code never renders gains nothing from that import's React.
// test/package/reactVersion.test.tsx (COZE_EXPECT_REACT_MAJOR) is a `.tsx` file, so it always runs;
// the React 18 config also refuses to start without it.
//
// `node scripts/react18-tests.mjs` prints both lists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src') + sep;
const REACT_FREE_SRC = ['core', 'vault', 'testing'].map((dir) => join(SRC, dir) + sep);
const REACT_SRC = [join(SRC, 'testing', 'react') + sep];

/** @param {string} spec */
function isReactPackage(spec) {
  return /react/i.test(spec) || spec.startsWith('@storybook/');
}

/** @param {string} file absolute path */
function isReactModule(file) {
  if (file.endsWith('.tsx') || file.endsWith('.jsx')) return true;
  if (!file.startsWith(SRC)) return false;
  if (REACT_SRC.some((dir) => file.startsWith(dir))) return true;
  return !REACT_FREE_SRC.some((dir) => file.startsWith(dir));
}

/** @param {string} from @param {string} spec @returns {string | undefined} */
function resolveRelative(from, spec) {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * The value imports of one module.
 * @param {string} source
 * @returns {{ spec: string, names: string[] | null, reexport: boolean }[]} names: the names imported
 *   or re-exported, null for namespace/default/side-effect/dynamic imports and `export *`.
 */
function importsOf(source) {
  /** @type {{ spec: string, names: string[] | null, reexport: boolean }[]} */
  const found = [];
  const statement = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(statement)) {
    const [, keyword, typeOnly, clause, spec] = match;
    if (typeOnly) continue;
    const reexport = keyword === 'export';
    const braces = /^\{([\s\S]*)\}$/.exec(clause.trim());
    if (!braces) {
      found.push({ spec, names: null, reexport });
      continue;
    }
    const names = braces[1]
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part && !part.startsWith('type '))
      // import { a as b }: the importer asks for `a`; export { a as b }: the module offers `b`.
      .map((part) => part.split(/\s+as\s+/)[reexport ? 1 : 0] ?? part.split(/\s+as\s+/)[0]);
    if (names.length > 0) found.push({ spec, names, reexport });
  }
  for (const match of source.matchAll(/(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g)) found.push({ spec: match[1], names: null, reexport: false });
  for (const match of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ spec: match[1], names: null, reexport: false });
  return found;
}

/** @type {Map<string, boolean>} */
const memo = new Map();

/**
 * Whether loading `file` for these names (null: all of it) reaches React.
 * @param {string} file @param {string[] | null} wanted @param {Set<string>} visiting
 */
function reachesReact(file, wanted, visiting = new Set()) {
  if (isReactModule(file)) return true;
  const key = `${file}|${wanted === null ? '*' : [...wanted].sort().join(',')}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  if (visiting.has(key)) return false; // a cycle: decided where it started
  visiting.add(key);
  let result = false;
  for (const { spec, names, reexport } of importsOf(readFileSync(file, 'utf8'))) {
    if (reexport && wanted !== null && names !== null && !names.some((name) => wanted.includes(name))) continue;
    if (!spec.startsWith('.')) {
      if (isReactPackage(spec)) result = true;
    } else {
      const target = resolveRelative(file, spec);
      // export { a as b } from: the target is asked for the original names.
      const asked = reexport ? null : names;
      result = target === undefined || reachesReact(target, asked, visiting);
    }
    if (result) break;
  }
  visiting.delete(key);
  memo.set(key, result);
  return result;
}

/** @param {string} dir @returns {string[]} */
function testFiles(dir) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((file) => /\.test\.tsx?$/.test(file) && !file.startsWith(join(ROOT, 'test', 'e2e') + sep))
    .sort();
}

/** The unit test files, relative to the root with `/`, split by the rule above. */
export function classifyTestFiles() {
  const react = [];
  const reactFree = [];
  for (const file of testFiles(join(ROOT, 'test'))) {
    const name = relative(ROOT, file).split(sep).join('/');
    (file.endsWith('.tsx') || reachesReact(file, null) ? react : reactFree).push(name);
  }
  return { react, reactFree };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { react, reactFree } = classifyTestFiles();
  console.log(`run on React 18 (${react.length}):\n  ${react.join('\n  ')}`);
  console.log(`React-free, run once on React 19 only (${reactFree.length}):\n  ${reactFree.join('\n  ')}`);
}
