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

/** Resolves with the watcher's next 'indexed' summaries until `until` holds (or rejects after timeoutMs). */
function nextIndexed(
  w: {
    on(e: 'indexed', f: (s: IndexSummary) => void): unknown;
    off(e: 'indexed', f: (s: IndexSummary) => void): unknown;
  },
  until: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      w.off('indexed', on);
      reject(new Error('watcher did not index in time'));
    }, timeoutMs);
    const on = (): void => {
      if (!until()) return;
      clearTimeout(timer);
      w.off('indexed', on);
      resolve();
    };
    w.on('indexed', on);
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
});
