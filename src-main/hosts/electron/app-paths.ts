/**
 * Where the desktop app's parts are, in development (`npm start`: the repository) and packaged (inside
 * resources/app.asar, with the workers and native modules unpacked next to it in app.asar.unpacked).
 */
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A worker script of the bundle (vite.app.config.ts puts them in dist/app/workers/). Workers are started
 * from their unpacked copy (electron-builder.yml asarUnpack): from real files they resolve the unpacked
 * native modules beside them exactly as under plain Node, with no reliance on asar support in threads.
 */
export function workerScript(name: string, base: string | URL): string {
  return unpackedPath(fileURLToPath(new URL(`./workers/${name}`, base)));
}

/** The app.asar.unpacked twin of a path inside app.asar; other paths unchanged. */
export function unpackedPath(path: string): string {
  const packed = `${sep}app.asar${sep}`;
  return path.includes(packed) ? path.replace(packed, `${sep}app.asar.unpacked${sep}`) : path;
}
