// @ts-check
// The main entry must never pull in the testing kit (the fake Coze server, MSW) or Node built-ins:
// an app would ship them, or fail to build. Walks dist/index.js and every chunk it imports,
// statically or lazily, and checks each import specifier against an allow-list.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = resolve(root, 'dist/index.js');

// What the main entry may import: its peers and its runtime dependencies (oidc-client-ts, axios).
const ALLOWED = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\/react-query($|\/)/, /^@coze\/api($|\/)/, /^oidc-client-ts$/, /^axios$/];
// Named so a failure says what leaked; anything else unknown fails too.
const FORBIDDEN = [/^msw($|\/)/, /^node:/, /testing/i, /createCozeModel/];

// Bundler output (unminified ESM): `import … from "x"`, `export … from "x"`, `import "x"`, `import("x")`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

if (!existsSync(entry)) {
  console.error('check-entry-imports: dist/index.js is missing: run `npm run build` first.');
  process.exit(1);
}

const problems = [];
const seen = new Set();
const queue = [entry];
while (queue.length > 0) {
  const file = /** @type {string} */ (queue.pop());
  if (seen.has(file)) continue;
  seen.add(file);
  const name = relative(root, file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    if (!specifier) continue;
    const forbidden = FORBIDDEN.find((pattern) => pattern.test(specifier));
    if (forbidden) problems.push(`${name} imports "${specifier}" (matches ${forbidden})`);
    else if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
    else if (!ALLOWED.some((pattern) => pattern.test(specifier))) problems.push(`${name} imports "${specifier}", which is not a peer or dependency`);
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-entry-imports: FAIL ${problem}`);
  process.exit(1);
}
console.log(`check-entry-imports: ok, ${[...seen].map((file) => relative(root, file)).join(', ')} import only peers and oidc-client-ts`);
