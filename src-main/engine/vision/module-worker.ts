/**
 * Starts a worker thread whose entry file sits next to the calling module, in every form the code runs in:
 * the app's bundle (`<name>.js` beside the bundled caller, vite.app.config.ts) and the sources (tests and the
 * CLI under `tsx`, where the worker first registers tsx's loader so that it can import `<name>.ts`).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type Transferable } from 'node:worker_threads';

/**
 * `callerUrl` is the caller's `import.meta.url`; `entry` the worker's file name without extension
 * (`./heif-worker`), kept in a variable by the caller so that bundlers leave the URL alone; `transferList`
 * moves what workerData holds that must not be cloned (a MessagePort).
 */
export function startModuleWorker(
  callerUrl: string,
  entry: string,
  workerData: unknown,
  transferList?: Transferable[],
): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`${entry}.js`, callerUrl), { workerData, transferList });
  const source = new URL(`${entry}.ts`, callerUrl).href;
  const tsxDir = dirname(createRequire(callerUrl).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(code, { eval: true, workerData, transferList });
}
