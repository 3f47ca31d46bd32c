/**
 * Indexes the real JPEGs of ../shared/faces (206 files, read in place, never copied) with the test pipeline:
 * real decoding, hashing and EXIF reading at library scale. Skips when the shared folder is absent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { FaceThumbnails } from '../../../../src-main/engine/storage/thumbnails.js';
import { SHARED_DIR } from '../../../helpers/shared.js';
import { TestPipeline } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';

const FACES = join(SHARED_DIR, 'faces');
const present = existsSync(FACES);
if (!present) console.warn(`skipping real-photos indexing test: ${FACES} is absent`);

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.skipIf(!present)('indexing ../shared/faces (real JPEGs)', () => {
  it('indexes every photo once, then skips them all; thumbnails cut from real photos', async () => {
    const svc = LibraryService.open(join(tmp.dir, 'lib.db'));
    svc.addFolder(FACES);
    const first = await svc.index(new TestPipeline());
    expect(first.failed).toBe(0);
    expect(first.analysed).toBeGreaterThanOrEqual(200);
    console.log(`indexed ${first.analysed} real photos in ${first.seconds.toFixed(2)} s with the test pipeline`);
    const status = svc.status();
    expect(status.photos).toMatchObject({ done: first.analysed + first.reused, error: 0, pending: 0 });

    const sample = svc.photos({ limit: 5 });
    for (const p of sample) {
      const m = await sharp(p.path).metadata();
      expect([p.width, p.height]).toEqual([m.autoOrient.width, m.autoOrient.height]);
      expect(p.contentHash).toMatch(/^[0-9a-f]{64}$/);
    }
    const again = await svc.index(new TestPipeline());
    expect(again).toMatchObject({ analysed: 0, unchanged: first.scanned });

    const group = svc.photos().find((p) => p.path.includes('_group'))!;
    const thumbs = new FaceThumbnails(join(tmp.dir, 'cache'));
    const box = { x: group.width! / 3, y: group.height! / 3, width: group.width! / 6, height: group.height! / 6 };
    const t = await thumbs.get(group.path, group.contentHash!, box);
    expect(await sharp(t.path).metadata()).toMatchObject({ format: 'webp', width: 160, height: 160 });
    await svc.close();
  });
});
