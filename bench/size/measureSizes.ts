import react from '@vitejs/plugin-react';
import { constants, brotliCompressSync, gzipSync } from 'node:zlib';
import { build, type Plugin, type Rolldown } from 'vite';
import { LIBRARIES, ROOT, labelOf, type Library } from '../lib/libraries';

/** Compressed sizes of some chunks, summed chunk by chunk (each chunk is its own HTTP response). */
export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

/** One library's minimal app: what loads first, and everything including lazy chunks. */
export interface SizeResult {
  library: Library;
  label: string;
  /** The entry chunk plus the chunks it imports statically. */
  initial: Sizes;
  /** Every chunk, lazy ones included. */
  total: Sizes;
  chunks: number;
  /** Bytes (gzip) of our initial chunk that are Vite's dynamic-import preload helper, not ours. */
  vitePreloadHelperGzip?: number;
}

const PRELOAD_HELPER = '\0vite/preload-helper.js';
// Swaps Vite's preload helper for a pass-through, to tell how much of a chunk it is.
const noPreloadHelper: Plugin = {
  name: 'bench:no-preload-helper',
  enforce: 'pre',
  resolveId: (id) => (id === PRELOAD_HELPER ? id : undefined),
  load: (id) => (id === PRELOAD_HELPER ? 'export const __vitePreload = (load) => load();' : undefined),
};

// What every app already has, so no library is charged for it. @tanstack/react-query and
// @coze/api are peers of ours (the app brings them); the peers never import them, so marking them
// external for everyone changes nothing for the peers.
const SHARED_EXTERNALS = [/^react($|\/)/, /^react-dom($|\/)/];
const COZE_PEERS = [/^@tanstack\/react-query($|\/)/, /^@coze\/api($|\/)/];

function measure(chunks: readonly Rolldown.OutputChunk[]): Sizes {
  const sizes: Sizes = { raw: 0, gzip: 0, brotli: 0 };
  for (const chunk of chunks) {
    const code = Buffer.from(chunk.code);
    sizes.raw += code.length;
    sizes.gzip += gzipSync(code, { level: 9 }).length;
    sizes.brotli += brotliCompressSync(code, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.length },
    }).length;
  }
  return sizes;
}

/** The entry chunk and everything it reaches through static imports. */
function initialChunks(chunks: readonly Rolldown.OutputChunk[]): Rolldown.OutputChunk[] {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const seen = new Set<Rolldown.OutputChunk>();
  const visit = (chunk: Rolldown.OutputChunk | undefined) => {
    if (!chunk || seen.has(chunk)) return;
    seen.add(chunk);
    for (const name of chunk.imports) visit(byName.get(name));
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk);
  return [...seen];
}

/**
 * Builds one entry exactly as an app would ship it: Vite production build, minified, es2022,
 * React external. `write: false` keeps the output in memory; nothing touches the disk.
 */
export async function buildEntry(
  entry: string,
  external: readonly RegExp[],
  extraPlugins: Plugin[] = [],
): Promise<Rolldown.OutputChunk[]> {
  const output = await build({
    configFile: false,
    root: ROOT,
    mode: 'production',
    logLevel: 'silent',
    plugins: [react(), ...extraPlugins],
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      // Vite's preload helper is the app's cost, not the library's: leave it out for everyone.
      modulePreload: false,
      reportCompressedSize: false,
      copyPublicDir: false,
      rolldownOptions: { input: entry, external: [...external] },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  return outputs.flatMap((out) => ('output' in out ? out.output : [])).filter((item) => item.type === 'chunk');
}

async function measureEntry(library: Library, label: string, external: readonly RegExp[]): Promise<SizeResult> {
  const chunks = await buildEntry(`${ROOT}bench/size/entries/${library.id}.tsx`, external);
  return { library, label, initial: measure(initialChunks(chunks)), total: measure(chunks), chunks: chunks.length };
}

/**
 * Every library's minimal app, built one after another (two cores: parallel builds only add noise).
 * Ours is measured twice: with its peers external (the comparison), and with @tanstack/react-query
 * and @coze/api bundled, which is what an app that does not use them yet pays.
 */
export async function measureSizes(log: (line: string) => void = () => undefined): Promise<SizeResult[]> {
  const results: SizeResult[] = [];
  for (const library of LIBRARIES) {
    log(`size: building ${library.name}`);
    const external = library.id === 'coze' ? [...SHARED_EXTERNALS, ...COZE_PEERS] : SHARED_EXTERNALS;
    const result = await measureEntry(library, labelOf(library), external);
    results.push(result);
    if (library.id === 'coze') {
      // Vite adds its preload helper to any app with a lazy import; most apps already have one.
      const withoutHelper = await buildEntry(`${ROOT}bench/size/entries/${library.id}.tsx`, external, [noPreloadHelper]);
      result.vitePreloadHelperGzip = result.initial.gzip - measure(initialChunks(withoutHelper)).gzip;
      results.push(await measureEntry(library, `${labelOf(library)}, peers bundled too`, SHARED_EXTERNALS));
    }
  }
  return results;
}
