import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { ROOT } from '../lib/libraries';

/**
 * Builds the bench apps (bench/behaviour/apps/<id>.tsx) in one Vite build. Development mode on
 * purpose: StrictMode's double effects and React's Profiler only exist in development builds.
 * Returns each app's entry script path relative to `outDir` (e.g. `assets/coze-1a2b.js`).
 */
export async function buildBehaviourApps(ids: readonly string[], outDir: string): Promise<Record<string, string>> {
  const output = await build({
    configFile: false,
    root: ROOT,
    mode: 'development',
    logLevel: 'silent',
    plugins: [react()],
    define: { 'process.env.NODE_ENV': JSON.stringify('development') },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      target: 'es2022',
      modulePreload: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: Object.fromEntries(ids.map((id) => [id, `${ROOT}bench/behaviour/apps/${id}.tsx`])),
        output: { entryFileNames: 'assets/[name]-[hash].js', chunkFileNames: 'assets/[name]-[hash].js' },
      },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  const entries: Record<string, string> = {};
  for (const item of outputs.flatMap((out) => ('output' in out ? out.output : []))) {
    if (item.type === 'chunk' && item.isEntry) entries[item.name] = item.fileName;
  }
  for (const id of ids) if (!entries[id]) throw new Error(`bench: no entry chunk for ${id}`);
  return entries;
}
