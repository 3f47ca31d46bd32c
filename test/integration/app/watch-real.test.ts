/**
 * The engine as the hosts open it (`facenet serve`, the desktop app's worker: `watch: true`), with the real
 * ONNX pipeline on a real temporary folder: a face photo copied in is indexed within a bounded time;
 * deleted, it leaves the library with its faces. Uses a face-api demo photo (every clone
 * has them), so it never needs ../shared.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src-shared/api.js';
import { EngineApi } from '../../../src-main/app/engine-api.js';
import { demoPhotos, hasDemoPhotos } from '../../helpers/demo-photos.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('engine-watch-');
let api: EngineApi | undefined;
afterAll(async () => {
  await api?.close();
  tmp.cleanup();
});

/** Resolves at the next event that `match` accepts; rejects after `ms` (the bound the test promises). */
function nextEvent(engine: EngineApi, match: (e: ApiEvent) => boolean, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching event within ${ms} ms`));
    }, ms);
    const off = engine.on((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

const watched = (e: ApiEvent): boolean => e.type === 'library-changed' && e.reason === 'watched-change';

describe.runIf(hasDemoPhotos(1))('watching with the real pipeline', () => {
  it('indexes a face photo copied into a library folder, and removes it when deleted', async () => {
    const photos = join(tmp.dir, 'photos');
    mkdirSync(photos);
    api = EngineApi.open(join(tmp.dir, 'library.db'), {
      cacheDir: join(tmp.dir, 'cache'),
      watch: { debounceMs: 200, writeStabilityMs: 200 },
    });
    expect(api.isWatching()).toBe(true);
    // A folder added after watching started is watched too.
    await api.addFolder({ path: photos });
    await new Promise<void>((resolve) => api!.startWatching().once('ready', () => resolve()));

    const target = join(photos, 'group.jpg');
    let done = nextEvent(api, watched, 60_000);
    const started = performance.now();
    copyFileSync(demoPhotos()[0]!, target);
    await done;
    const photo = api.library.photoByPath(target);
    expect(photo?.status).toBe('done');
    const faces = api.library.facesOfPhoto(photo!.id);
    expect(faces.length).toBeGreaterThanOrEqual(2); // sample1.jpg: three people
    expect((await api.status()).faces).toBe(faces.length);
    console.log(
      `watch: ${faces.length} faces indexed ${((performance.now() - started) / 1000).toFixed(1)} s after the copy`,
    );

    // The folder keeps another file: a library folder left with nothing in it counts as not reachable (an
    // unmounted drive's empty mount point) and keeps its photos offline (src-main/engine/storage/README.md).
    writeFileSync(join(photos, 'notes.txt'), 'not a photo');
    done = nextEvent(api, watched, 30_000);
    rmSync(target);
    await done;
    expect(api.library.photoByPath(target)).toBeUndefined();
    expect((await api.status()).faces).toBe(0);
  }, 120_000);
});
