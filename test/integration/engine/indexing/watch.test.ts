import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IndexSummary } from '../../../../src-main/engine/indexing/indexer.js';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { makePhoto } from '../../../helpers/images.js';
import { TestPipeline } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/**
 * Resolves once `until` holds, checked after each of the watcher's runs and every 100 ms (a run can land while
 * the test is still writing); rejects after timeoutMs with what the watcher did meanwhile (runs, errors), so a
 * failure under load says whether an event was missed or a run went wrong.
 */
function nextIndexed(
  w: {
    on(e: 'indexed', f: (s: IndexSummary, paths: string[]) => void): unknown;
    off(e: 'indexed', f: (s: IndexSummary, paths: string[]) => void): unknown;
    on(e: 'error', f: (e: unknown) => void): unknown;
    off(e: 'error', f: (e: unknown) => void): unknown;
  },
  until: () => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      clearInterval(poll);
      w.off('indexed', onIndexed);
      w.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const check = (): void => {
      if (until()) finish();
    };
    const onIndexed = (s: IndexSummary, paths: string[]): void => {
      seen.push(`run over ${JSON.stringify(paths)}: ${JSON.stringify(s)}`);
      check();
    };
    const onError = (e: unknown): void => void seen.push(`error: ${String(e)}`);
    const timer = setTimeout(
      () => finish(new Error(`watcher did not index in time; meanwhile:\n${seen.join('\n') || 'no run'}`)),
      timeoutMs,
    );
    const poll = setInterval(check, 100);
    w.on('indexed', onIndexed);
    w.on('error', onError);
  });
}

describe('watch mode', () => {
  it('indexes new, changed, moved and deleted photos as they happen', async () => {
    const root = join(tmp.dir, 'photos');
    mkdirSync(root);
    const svc = LibraryService.open(join(tmp.dir, 'library.db'));
    svc.addFolder(root);
    const pipeline = new TestPipeline();
    await svc.index(pipeline);
    const watcher = svc.watch(pipeline, { debounceMs: 150, writeStabilityMs: 100 });
    try {
      await new Promise<void>((r) => watcher.once('ready', () => r()));
      const photo = (p: string) => svc.photoByPath(join(root, p));

      // New photos (one in a new sub-folder), plus files the watcher must ignore.
      let done = nextIndexed(watcher, () => svc.status().photos.done === 2);
      await makePhoto(join(root, 'a.jpg'), { seed: 1, faces: [{ cell: 0, identity: 1 }] });
      await makePhoto(join(root, 'new-dir', 'b.png'), {
        seed: 2,
        faces: [
          { cell: 3, identity: 2 },
          { cell: 9, identity: 3 },
        ],
      });
      writeFileSync(join(root, 'notes.txt'), 'not a photo');
      mkdirSync(join(root, '.hidden'));
      await makePhoto(join(root, '.hidden', 'c.jpg'), { seed: 3 });
      await done;
      expect(svc.status()).toMatchObject({ photos: { total: 2, done: 2 }, faces: 3 });

      // Changed.
      done = nextIndexed(watcher, () => svc.facesOfPhoto(photo('a.jpg')!.id).length === 2);
      await makePhoto(join(root, 'a.jpg'), {
        seed: 1,
        faces: [
          { cell: 0, identity: 1 },
          { cell: 15, identity: 4 },
        ],
      });
      await done;

      // Renamed: the same row follows the file.
      const id = photo('new-dir/b.png')!.id;
      done = nextIndexed(watcher, () => photo('b-renamed.png')?.id === id);
      renameSync(join(root, 'new-dir', 'b.png'), join(root, 'b-renamed.png'));
      await done;
      expect(photo('new-dir/b.png')).toBeUndefined();

      // Deleted.
      done = nextIndexed(watcher, () => photo('a.jpg') === undefined);
      rmSync(join(root, 'a.jpg'));
      await done;
      expect(svc.status()).toMatchObject({ photos: { total: 1 }, faces: 2 });
    } finally {
      await watcher.close();
      await svc.close();
    }
  });

  it('keeps a photo whose move arrives in two halves (removed first, written elsewhere later)', async () => {
    const root = join(tmp.dir, 'slow-move');
    const outside = join(tmp.dir, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    const svc = LibraryService.open(join(tmp.dir, 'slow-move.db'));
    svc.addFolder(root);
    const pipeline = new TestPipeline();
    await makePhoto(join(root, 'a.jpg'), { seed: 5, faces: [{ cell: 0, identity: 1 }] });
    // Another photo stays, so the folder never looks like an unmounted drive (whose photos are kept anyway).
    await makePhoto(join(root, 'stays.jpg'), { seed: 6, faces: [{ cell: 3, identity: 2 }] });
    await svc.index(pipeline);
    const id = svc.photoByPath(join(root, 'a.jpg'))!.id;
    const watcher = svc.watch(pipeline, { debounceMs: 100, writeStabilityMs: 100 });
    try {
      await new Promise<void>((r) => watcher.once('ready', () => r()));
      const runs: IndexSummary[] = [];
      watcher.on('indexed', (s, p) => {
        runs.push(s);
        console.log('RUN', JSON.stringify(p), JSON.stringify(s));
      });
      const done = nextIndexed(watcher, () => svc.photoByPath(join(root, 'b.jpg'))?.id === id);
      // A copy to another drive and a delete, seen in the wrong order: the removal reaches the watcher
      // several debounce periods before the new file is complete.
      renameSync(join(root, 'a.jpg'), join(outside, 'a.jpg'));
      await new Promise((r) => setTimeout(r, 700));
      renameSync(join(outside, 'a.jpg'), join(root, 'b.jpg'));
      await done;
      await watcher.flush({ removals: 'now' });
      expect(runs.reduce((n, r) => n + r.removed, 0)).toBe(0);
      expect(svc.status()).toMatchObject({ photos: { total: 2, done: 2 }, faces: 2 });
    } finally {
      await watcher.close();
      await svc.close();
    }
  });
});
