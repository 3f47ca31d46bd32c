/**
 * Photo previews: WebP files the app makes from a photo's displayed pixels for every supported format (HEIC
 * and RAW included), sized by bucket, cached, and kept to a byte budget by evicting the least recently used.
 */
import { mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LARGE_PREVIEW,
  PhotoPreviews,
  PREVIEW_SIZES,
  previewBucket,
} from '../../../../src-main/engine/library/photo-previews.js';
import { openPhoto } from '../../../../src-main/engine/vision/formats/open.js';
import { heicFrom, rawWithPreview, taggedJpeg, toolMissing } from '../../../helpers/format-fixtures.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A 600x400 photo with a red block in its top-left quarter (so a wrong turn shows in the preview). */
async function scene(path: string, seed = 0): Promise<string> {
  const red = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 220, g: 20, b: 20 } } })
    .png()
    .toBuffer();
  await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 40 + seed * 10, g: 120, b: 200 } } })
    .composite([{ input: red, left: 0, top: 0 }])
    .jpeg({ quality: 92 })
    .toFile(path);
  return path;
}

describe('previewBucket', () => {
  it('serves every size from the smallest bucket at least as large, else the largest', () => {
    expect(previewBucket()).toBe(LARGE_PREVIEW);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (size) => {
        const b = previewBucket(size);
        expect(PREVIEW_SIZES).toContain(b);
        if (size <= LARGE_PREVIEW) expect(b).toBeGreaterThanOrEqual(size);
        else expect(b).toBe(LARGE_PREVIEW);
        expect(PREVIEW_SIZES.filter((x) => x >= size && x < b)).toEqual([]);
      }),
    );
  });
});

describe('PhotoPreviews', () => {
  const src = join(tmp.dir, 'src');
  beforeAll(() => mkdirSync(src));

  it('makes a WebP of the displayed pixels at the bucket size, then serves it from the cache', async () => {
    const previews = new PhotoPreviews(join(tmp.dir, 'cache1'), { open: openPhoto });
    // EXIF orientation 6 written by libvips itself, so this runs where ExifTool is absent too.
    const photo = join(src, 'a.jpg');
    await sharp(await scene(join(src, 'a0.jpg')))
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 92 })
      .toFile(photo);
    const small = await previews.get(photo, 'aa11', 200);
    expect(small).toMatchObject({ bucket: 320, cached: false });
    const meta = await sharp(small.path).metadata();
    // Orientation 6: the 600x400 stored photo displays 400x600; the red block moves to the top-right.
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 213, 320]);
    const { data } = await sharp(small.path).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number): number[] => [...data.subarray((y * 213 + x) * 3, (y * 213 + x) * 3 + 3)];
    expect(px(200, 10)[0]).toBeGreaterThan(180);
    expect(px(10, 10)[0]).toBeLessThan(100);
    // Not enlarged past the photo's own size.
    const large = await previews.get(photo, 'aa11');
    expect(await sharp(large.path).metadata()).toMatchObject({ width: 400, height: 600 });
    expect(await previews.get(photo, 'aa11', 300)).toMatchObject({ path: small.path, cached: true });
  });

  it('keeps to its byte budget, evicting the least recently used previews first', async () => {
    const previews = new PhotoPreviews(join(tmp.dir, 'cache2'), { open: openPhoto, budgetBytes: 1 });
    const first = await previews.get(await scene(join(src, 'b1.jpg'), 1), 'bb01', 320);
    const one = await previews.totalBytes();
    const budgeted = new PhotoPreviews(join(tmp.dir, 'cache3'), { open: openPhoto, budgetBytes: one * 3.5 });
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await budgeted.get(await scene(join(src, `c${i}.jpg`), i), `cc0${i}`, 320));
    // Use the oldest again (its time is refreshed), then add a fourth: the second-oldest goes, not the first.
    const past = new Date(Date.now() - 60_000);
    made.forEach((m, i) => utimesSync(m.path, past, new Date(past.getTime() + i * 1000)));
    expect((await budgeted.get(join(src, 'c0.jpg'), 'cc00', 320)).cached).toBe(true);
    await budgeted.get(await scene(join(src, 'c3.jpg'), 3), 'cc03', 320);
    expect(await budgeted.totalBytes()).toBeLessThanOrEqual(one * 3.5);
    const kept = await Promise.all(
      made.map((m) =>
        sharp(m.path)
          .metadata()
          .then(
            () => true,
            () => false,
          ),
      ),
    );
    expect(kept).toEqual([true, false, true]);
    // A budget smaller than one preview still serves the one just made.
    expect(await sharp(first.path).metadata()).toMatchObject({ format: 'webp' });
  });

  const missing = toolMissing('heif-enc') ?? toolMissing('exiftool');
  it.skipIf(missing !== null)(
    `HEIC and RAW photos get previews too${missing ? ` (skipped: ${missing})` : ''}`,
    async () => {
      const previews = new PhotoPreviews(join(tmp.dir, 'cache4'), { open: openPhoto });
      const base = await scene(join(src, 'd.jpg'));
      const heic = await heicFrom(taggedJpeg(base, join(src, 'd6.jpg'), { orientation: 6 }), join(src, 'd.heic'));
      const raw = await rawWithPreview(base, join(src, 'd.nef'), { orientation: 8 });
      for (const [file, hash] of [
        [heic, 'dd01'],
        [raw, 'dd02'],
      ] as const) {
        const p = await previews.get(file, hash, 320);
        expect(await sharp(p.path).metadata(), file).toMatchObject({ format: 'webp', width: 213, height: 320 });
      }
    },
  );
});
