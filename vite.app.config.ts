import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The desktop app's Node side as self-contained ES modules (dist/app/), so the package holds complete code
 * by construction instead of a hand-kept list of compiled folders. Two passes (`--mode main`, then
 * `--mode workers`; npm run build:electron runs both):
 *   dist/app/main.js                    Electron main process (package.json "main"), one file
 *   dist/app/workers/engine-worker.js   the engine (worker thread; started by main)
 *   dist/app/workers/tune-worker.js     fine-tuning (worker thread; started by the engine)
 *   dist/app/workers/heif-worker.js     HEIC decoding (worker threads; started by the engine)
 *   dist/app/workers/analyzer-worker.js the face pipeline (worker threads, one per CPU; started by the engine)
 *   dist/app/workers/knn-worker.js      grouping's kNN graph (worker threads, one per CPU; started by the engine)
 *   dist/app/workers/*-<hash>.js        chunks the two workers share
 * Every import is bundled except Electron itself, the native modules and libheif-js (LGPL-3.0: it stays a
 * separate, replaceable library in node_modules), which electron-builder ships as real files. The workers are unpacked from app.asar (electron-builder.yml): they run from plain files and
 * resolve the unpacked native modules beside them exactly as under Node. main.js stays in app.asar (asar
 * integrity) and imports nothing from workers/, hence its own pass.
 */
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** Loaded from node_modules at run time (native code, the LGPL libheif, or optional native add-ons of ws). */
export const APP_EXTERNALS = [
  'electron',
  'better-sqlite3',
  'onnxruntime-node',
  'sharp',
  'libheif-js',
  'bufferutil',
  'utf-8-validate',
];

const ENTRIES: Record<string, Record<string, string>> = {
  main: { main: here('./src-main/hosts/electron/main.ts') },
  workers: {
    'workers/engine-worker': here('./src-main/hosts/electron/engine-worker.ts'),
    'workers/tune-worker': here('./training/tune-worker.ts'),
    'workers/heif-worker': here('./src-main/engine/vision/formats/heif-worker.ts'),
    'workers/analyzer-worker': here('./src-main/engine/vision/analyzer-worker.ts'),
    'workers/knn-worker': here('./src-main/engine/people/knn-worker.ts'),
  },
};

export default defineConfig(({ mode }) => {
  const input = ENTRIES[mode];
  if (!input) throw new Error(`vite.app.config.ts: --mode must be one of ${Object.keys(ENTRIES).join(', ')}`);
  return {
    publicDir: false,
    ssr: { target: 'node', noExternal: true, external: APP_EXTERNALS },
    build: {
      ssr: true,
      outDir: here('./dist/app'),
      // The first pass clears dist/app (no stale chunks from an earlier build get packed); the second adds.
      emptyOutDir: mode === 'main',
      minify: false,
      // Maps are written for debugging a build, but not referenced from the code: the app does not ship them
      // (electron-builder.yml), and a comment naming a missing map only makes tools look for it.
      sourcemap: 'hidden',
      target: 'node20',
      rollupOptions: {
        input,
        external: APP_EXTERNALS,
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'workers/[name]-[hash].js' },
      },
    },
  };
});
