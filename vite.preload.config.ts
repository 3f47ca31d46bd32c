import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The Electron preload as one CommonJS file (dist/electron/preload.cjs): sandboxed preloads cannot load
 * local modules, so src-shared/api.ts (validateRequest) is bundled in; only `electron` stays external.
 */
export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL('./dist/electron', import.meta.url)),
    emptyOutDir: false,
    minify: false,
    target: 'node20',
    lib: {
      entry: fileURLToPath(new URL('./src-main/hosts/electron/preload.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});
