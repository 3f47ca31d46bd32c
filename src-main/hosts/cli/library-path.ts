/**
 * Where the library database lives when `--library` is not given. The CLI and the desktop app
 * (src-main/hosts/electron/main.ts) share one definition, src-main/app/library-location.ts, so that they always open
 * the same library; see that file for the folders per platform.
 */
export { defaultCacheDir, defaultLibraryPath, LIBRARY_FILE } from '../../app/library-location.js';
