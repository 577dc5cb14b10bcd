// @ts-check
// Builds what an app ships from our dist with Vite (production, minified, es2022), so that
// size-limit (@size-limit/file, see .size-limit.json) measures real app output: rolldown splits
// and tree-shakes the lazy `import('oidc-client-ts')`, which size-limit's own esbuild bundling
// cannot (it inlines the whole library). Output: node_modules/.cache/size-probe/{main,testing}/ and
// manifest.json, which lists each probe's initial files (entry + static imports) for .size-limit.cjs.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = `${root}node_modules/.cache/size-probe`;

const PEERS = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\/react-query($|\/)/, /^@coze\/api($|\/)/, /^axios($|\/)/];
const PRELOAD_HELPER = '\0vite/preload-helper.js';

/**
 * Vite wraps every dynamic import in a ~0.7 kB preload helper that any Vite app with a lazy route
 * already has; it is the app's cost, not ours, so the probe swaps it for a pass-through.
 * @type {import('vite').Plugin}
 */
const noPreloadHelper = {
  name: 'size-probe:no-preload-helper',
  enforce: 'pre',
  resolveId: (id) => (id === PRELOAD_HELPER ? id : undefined),
  load: (id) => (id === PRELOAD_HELPER ? 'export const __vitePreload = (load) => load();' : undefined),
};

/**
 * @param {string} name output folder under the cache dir
 * @param {string} distFile the dist file the probe re-exports
 * @param {(RegExp | ((id: string, importer: string | undefined) => boolean))[]} external
 * @param {string} [names] re-export only these exports (default: every export)
 */
async function probe(name, distFile, external, names) {
  const source = `${root}dist/${distFile}`;
  if (!existsSync(source)) throw new Error(`${source} is missing: run \`npm run build\` first.`);
  const entry = `${cacheDir}/${name}.entry.js`;
  // An app's entry that uses the exports (so none is tree-shaken away), as an app would: Vite's app
  // builds do not preserve the entry's exports, so modules the lazy chunks share with the initial
  // code stay in the entry chunk instead of becoming extra requests.
  const imported = names ? `{ ${names} }` : '* as library';
  writeFileSync(entry, `import ${imported} from ${JSON.stringify(source)};\nglobalThis.__sizeProbe = ${names ? `{ ${names} }` : 'library'};\n`);
  const output = await build({
    configFile: false,
    root,
    mode: 'production',
    logLevel: 'warn',
    plugins: [noPreloadHelper],
    build: {
      outDir: `${cacheDir}/${name}`,
      emptyOutDir: true,
      minify: true,
      target: 'es2022',
      modulePreload: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: entry,
        external: (id, importer) => external.some((rule) => (typeof rule === 'function' ? rule(id, importer) : rule.test(id))),
        preserveEntrySignatures: false,
        output: { entryFileNames: 'index.js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  return outputs.flatMap((out) => ('output' in out ? out.output : [])).filter((item) => item.type === 'chunk');
}

rmSync(cacheDir, { recursive: true, force: true });
mkdirSync(cacheDir, { recursive: true });

/**
 * The entry chunk and every chunk it imports statically: what loads before the app can run.
 * @param {import('vite').Rolldown.OutputChunk[]} chunks
 */
function initialChunks(chunks) {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const seen = new Set();
  /** @param {import('vite').Rolldown.OutputChunk | undefined} chunk */
  const visit = (chunk) => {
    if (!chunk || seen.has(chunk)) return;
    seen.add(chunk);
    for (const name of chunk.imports) visit(byName.get(name));
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk);
  return [...seen];
}

const main = await probe('main', 'index.js', PEERS);
// What the benchmark's minimal app uses: provider, login button, callback, a token.
const minimal = await probe('minimal', 'index.js', PEERS, 'CozeAuthProvider, CozeLoginButton, CozeCallback, useCozeToken');
// /testing shares the library's own chunks with the main entry (MockCozeAuthProvider renders the
// real provider); an app has those already, so its budget covers only what /testing adds.
const mainDistFiles = new Set();
const pending = [`${root}dist/index.js`];
while (pending.length > 0) {
  const file = /** @type {string} */ (pending.pop());
  if (mainDistFiles.has(file)) continue;
  mainDistFiles.add(file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.[^"']+)["']/g)) {
    if (specifier) pending.push(resolve(dirname(file), specifier));
  }
}
/** @param {string} id @param {string | undefined} importer */
const isMainLibraryChunk = (id, importer) =>
  id.startsWith('.') && importer !== undefined && mainDistFiles.has(resolve(dirname(importer), id));
// msw is not external: /testing must not import it (only /testing/msw does), and the check below says so.
const testing = await probe('testing', 'testing/index.js', [...PEERS, isMainLibraryChunk]);

const failures = [];
const mainInitial = initialChunks(main);
const eagerOidc = mainInitial.filter((chunk) => Object.keys(chunk.modules).some((id) => id.includes('/node_modules/oidc-client-ts/')));
if (eagerOidc.length > 0) failures.push(`main: oidc-client-ts is in an initial chunk (${eagerOidc[0]?.fileName}); it must stay behind import()`);
// The engine (refresh, other tabs, timers) loads after the first render.
for (const lazyModule of ['/core/session/sessionEngine.js']) {
  const eager = mainInitial.find((chunk) => Object.keys(chunk.modules).some((id) => id.endsWith(lazyModule)));
  if (eager) failures.push(`main: ${lazyModule} is in an initial chunk (${eager.fileName}); it must stay behind import()`);
}
if (!main.some((chunk) => !mainInitial.includes(chunk) && Object.keys(chunk.modules).some((id) => id.includes('/oidc-client-ts/')))) {
  failures.push('main: no lazy oidc-client-ts chunk was produced');
}

if (testing.some((chunk) => Object.keys(chunk.modules).some((id) => id.includes('/node_modules/msw/')))) {
  failures.push('testing: react-coze-auth/testing pulls in msw; only react-coze-auth/testing/msw may import it');
}

const manifest = {
  main: { initial: mainInitial.map((chunk) => `${cacheDir}/main/${chunk.fileName}`) },
  minimal: { initial: initialChunks(minimal).map((chunk) => `${cacheDir}/minimal/${chunk.fileName}`) },
  testing: { initial: initialChunks(testing).map((chunk) => `${cacheDir}/testing/${chunk.fileName}`) },
};
writeFileSync(`${cacheDir}/manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);

for (const [name, chunks] of /** @type {const} */ ([['main', main], ['testing', testing]])) {
  const initial = initialChunks(chunks);
  for (const chunk of chunks) {
    console.log(`size-probe: ${name} ${initial.includes(chunk) ? 'initial' : 'lazy   '} ${chunk.fileName} ${chunk.code.length} B`);
  }
}
if (failures.length > 0) {
  for (const failure of failures) console.error(`size-probe: FAIL ${failure}`);
  process.exit(1);
}
console.log(`size-probe: ok, built into ${cacheDir}`);
