/**
 * The desktop app's engine host: EngineApi in a worker thread behind WorkerEngine (what Electron's main
 * process talks to), so indexing never blocks the main process. Runs in plain Node with tsx as the loader.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerEngine } from '../../../../src-main/hosts/electron/worker-engine.js';
import { ApiError, type ApiEvent } from '../../../../src-shared/api.js';
import { demoPhotos } from '../../../helpers/demo-photos.js';
import { tempDir } from '../../../helpers/tmp.js';

describe('WorkerEngine (engine in a worker thread)', () => {
  const tmp = tempDir('facenet-worker-');
  // The TypeScript worker through tsx's loader (the app runs the compiled dist/…/engine-worker.js).
  const entry = new URL('../../../../src-main/hosts/electron/engine-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(boot, {
    eval: true,
    workerData: { dbPath: join(tmp.dir, 'lib', 'library.sqlite'), modelsDir: '' },
    // Thumbnails (none are made here) would go to the cache folder: keep it inside the test's folder.
    env: { ...process.env, FACENET_CACHE: join(tmp.dir, 'cache') },
  });
  const engine = new WorkerEngine(worker);

  afterAll(async () => {
    await engine.close();
    tmp.cleanup();
  });

  it('answers API calls, keeps error codes, and forwards events', async () => {
    await engine.ready;
    const status = (await engine.call('status', {})) as { folders: number; people: number };
    expect(status).toMatchObject({ folders: 0, people: 0 });
    await expect(engine.call('getPerson', { personId: 'x' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(engine.call('getPerson', { personId: 999 })).rejects.toBeInstanceOf(ApiError);
    await expect(engine.faceThumbnail(12345)).rejects.toMatchObject({ code: 'not-found' });
    const events: ApiEvent[] = [];
    engine.on((e) => events.push(e));
    await engine.call('addFolder', { path: tmp.dir });
    await expect.poll(() => events.some((e) => e.type === 'library-changed')).toBe(true);
    expect(((await engine.call('listFolders', {})) as unknown[]).length).toBe(1);
  });

  it.runIf(demoPhotos().length > 0)(
    'watches the library folders: a photo copied in is indexed',
    async () => {
      const photos = join(tmp.dir, 'photos');
      mkdirSync(photos);
      const events: ApiEvent[] = [];
      engine.on((e) => events.push(e));
      await engine.call('addFolder', { path: photos });
      // chokidar starts watching a folder added at run time a moment later, and the worker cannot say when:
      // copy the photo in, and again under a new name every few seconds until a watched run reports.
      const watched = (): boolean => events.some((e) => e.type === 'library-changed' && e.reason === 'watched-change');
      for (let i = 0; i < 20 && !watched(); i++) {
        copyFileSync(demoPhotos()[0]!, join(photos, `group-${i}.jpg`));
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }
      await expect.poll(watched, { timeout: 30_000, interval: 200 }).toBe(true);
      const status = (await engine.call('status', {})) as { photos: { done: number }; faces: number };
      expect(status.photos.done).toBeGreaterThanOrEqual(1);
      expect(status.faces).toBeGreaterThanOrEqual(2);
    },
    90_000,
  );
});
