import react from '@vitejs/plugin-react';
import { build, type Rolldown } from 'vite';
import { ROOT } from '../lib/libraries';

/** One latency app as its HTML page loads it. */
export interface LatencyApp {
  /** The entry script, relative to the output folder (`assets/coze-1a2b.js`). */
  entry: string;
  /** Chunks the entry imports statically (transitively): `<link rel="modulepreload">`, as Vite's HTML plugin emits. */
  preloads: string[];
}

/**
 * Builds each latency app (bench/latency/apps/<id>.tsx) the way an app ships: Vite production
 * build, minified, es2022, React and everything else bundled, Vite's default module preloading
 * (a lazy chunk's own imports are fetched in parallel with it). One build per app, so no app
 * shares a chunk with another and each chunk graph is the one that app alone would have.
 */
export async function buildLatencyApps(ids: readonly string[], outDir: string): Promise<Record<string, LatencyApp>> {
  const apps: Record<string, LatencyApp> = {};
  let first = true;
  for (const id of ids) {
    const output = await build({
      configFile: false,
      root: ROOT,
      mode: 'production',
      logLevel: 'silent',
      plugins: [react()],
      build: {
        outDir,
        emptyOutDir: first,
        minify: true,
        sourcemap: false,
        target: 'es2022',
        copyPublicDir: false,
        reportCompressedSize: false,
        rolldownOptions: {
          input: { [id]: `${ROOT}bench/latency/apps/${id}.tsx` },
          output: { entryFileNames: 'assets/[name]-[hash].js', chunkFileNames: `assets/${id}~[name]-[hash].js` },
        },
      },
    });
    first = false;
    const outputs = Array.isArray(output) ? output : [output];
    const chunks = outputs.flatMap((out) => ('output' in out ? out.output : [])).filter((item) => item.type === 'chunk');
    const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
    const entry = chunks.find((chunk) => chunk.isEntry);
    if (!entry) throw new Error(`bench: no entry chunk for ${id}`);
    const preloads = new Set<string>();
    const visit = (chunk: Rolldown.OutputChunk | undefined) => {
      for (const name of chunk?.imports ?? []) {
        if (preloads.has(name)) continue;
        preloads.add(name);
        visit(byName.get(name));
      }
    };
    visit(entry);
    apps[id] = { entry: entry.fileName, preloads: [...preloads] };
  }
  return apps;
}
