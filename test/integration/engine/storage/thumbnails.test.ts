import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { FaceThumbnails, paddedSquare } from '../../../../src-main/engine/storage/thumbnails.js';
import { makePhoto } from '../../../helpers/images.js';
import { TestPipeline } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('face thumbnails', () => {
  it('paddedSquare pads, squares and clamps to the image', () => {
    expect(paddedSquare({ x: 40, y: 40, width: 20, height: 10 }, 100, 100, 0.25)).toEqual({
      x: 35,
      y: 30,
      width: 30,
      height: 30,
    });
    expect(paddedSquare({ x: 0, y: 0, width: 20, height: 20 }, 100, 50, 0.5)).toEqual({
      x: 0,
      y: 0,
      width: 40,
      height: 40,
    });
    expect(paddedSquare({ x: 0, y: 0, width: 90, height: 90 }, 100, 50, 0.5)).toEqual({
      x: 20,
      y: 0,
      width: 50,
      height: 50,
    });
  });

  it('makes a 160 px WebP of the face from the EXIF-rotated photo, cached by content + box', async () => {
    const root = join(tmp.dir, 'photos');
    // Stored pixels have the face at top-left; EXIF orientation 6 (rotate 90° clockwise) shows it at top-right.
    await makePhoto(join(root, 'rot.jpg'), { seed: 1, size: 128, faces: [{ cell: 0, identity: 3 }], orientation: 6 });
    const svc = LibraryService.open(join(tmp.dir, 'lib.db'));
    svc.addFolder(root);
    await svc.index(new TestPipeline());
    const photo = svc.photoByPath(join(root, 'rot.jpg'))!;
    const [face] = svc.facesOfPhoto(photo.id);
    expect(face!.box).toEqual({ x: 96, y: 0, width: 32, height: 32 });

    const first = await svc.faceThumbnail(face!.id);
    expect(first.cached).toBe(false);
    expect(first.path.startsWith(svc.cacheDir)).toBe(true);
    expect(first.path).toContain(photo.contentHash!);
    const meta = await sharp(first.path).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 160, height: 160 });
    // The face (red) fills the middle of the thumbnail.
    const { data } = await sharp(first.path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const mid = (80 * 160 + 80) * 3;
    expect(data[mid]!).toBeGreaterThan(180);
    expect(data[mid + 1]!).toBeLessThan(90);

    const mtime = statSync(first.path).mtimeMs;
    const again = await svc.faceThumbnail(face!.id);
    expect(again).toEqual({ path: first.path, cached: true });
    expect(statSync(first.path).mtimeMs).toBe(mtime);

    // Concurrent identical requests share one file and leave no temporaries.
    const thumbs = new FaceThumbnails(join(tmp.dir, 'other-cache'));
    const both = await Promise.all([
      thumbs.get(photo.path, photo.contentHash!, face!.box),
      thumbs.get(photo.path, photo.contentHash!, face!.box),
    ]);
    expect(both[0]!.path).toBe(both[1]!.path);
    expect(readdirSync(join(both[0]!.path, '..'))).toHaveLength(1);
    await expect(svc.faceThumbnail(999)).rejects.toThrow(/no face/);
    await svc.close();
    expect(existsSync(first.path)).toBe(true);
  });
});
