/**
 * Worker thread hosting the engine for the desktop app (see worker-engine.ts): opens the library, answers
 * requests, forwards events. Runs in plain Node (worker_threads), so ONNX, sharp and SQLite work here and
 * never block Electron's main process.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { EngineApi } from '../../app/engine-api.js';
import { toApiError } from '../../app/api-errors.js';
import { defaultCacheDir } from '../../app/library-location.js';
import type { WorkerReply, WorkerRequest } from './worker-engine.js';

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');
const { dbPath } = workerData as { dbPath: string; modelsDir: string };

const send = (m: WorkerReply): void => port.postMessage(m);

let engine: EngineApi;
try {
  mkdirSync(dirname(dbPath), { recursive: true });
  // Thumbnails go to the platform's cache folder, shared with `facenet serve` (src-main/app/library-location.ts).
  // The app watches its library folders while it runs; engine.close() (on quit) stops the watcher.
  engine = EngineApi.open(dbPath, { cacheDir: defaultCacheDir(), watch: true });
} catch (e) {
  send({ fatal: e instanceof Error ? e.message : String(e) });
  throw e;
}
engine.on((event) => send({ event }));
send({ ready: true });

port.on('message', (m: WorkerRequest) => {
  const run = async (): Promise<unknown> =>
    'method' in m
      ? engine.call(m.method, m.args)
      : m.image === 'thumb'
        ? engine.faceThumbnail(m.imageId)
        : engine.photoPreview(m.imageId, m.size);
  run().then(
    (result) => send({ id: m.id, result: result ?? null }),
    (error: unknown) => {
      const e = toApiError(error);
      send({ id: m.id, error: { code: e.code, message: e.message } });
    },
  );
});
