/**
 * HEIC decoding through libheif (WebAssembly, worker threads) on files written by Debian's heif-enc: the
 * primary image with its EXIF orientation and capture date, pixels that match the JPEG it was made from,
 * damaged files as PhotoErrors, and the calling thread left free while a photo decodes.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExifDate } from '../../../../../src-main/engine/indexing/exif-date.js';
import { PhotoError } from '../../../../../src-main/engine/vision/analysis.js';
import { decodePhoto } from '../../../../../src-main/engine/vision/decode.js';
import { HeifDecoderPool } from '../../../../../src-main/engine/vision/formats/heif.js';
import { readExif } from '../../../../../src-main/engine/vision/formats/open.js';
import { demoPhotos } from '../../../../helpers/demo-photos.js';
import { heicFrom, taggedJpeg, toolMissing } from '../../../../helpers/format-fixtures.js';
import { hasShared, SHARED_DIR } from '../../../../helpers/shared.js';
import { tempDir } from '../../../../helpers/tmp.js';

const missing = toolMissing('heif-enc') ?? toolMissing('exiftool');
if (missing) console.warn(`skipping HEIC decoding tests: ${missing}`);

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const source = (): string =>
  hasShared('faces/_group') ? join(SHARED_DIR, 'faces/_group/2008_001322.jpg') : demoPhotos()[0]!;

describe.skipIf(missing !== null)('HEIC decoding', () => {
  let jpeg: string;
  let heic: string;
  beforeAll(async () => {
    jpeg = taggedJpeg(source(), join(tmp.dir, 'turned.jpg'), {
      orientation: 6,
      dateTimeOriginal: '2022:05:06 07:08:09',
    });
    heic = await heicFrom(jpeg, join(tmp.dir, 'turned.heic'), 90);
  });

  it('decodes the primary image turned by its EXIF orientation, like the JPEG it was made from', async () => {
    const fromJpeg = await decodePhoto(jpeg);
    const fromHeic = await decodePhoto(heic);
    expect(fromHeic.format).toBe('heic');
    expect([fromHeic.width, fromHeic.height]).toEqual([fromJpeg.width, fromJpeg.height]);
    expect(fromHeic.width).toBeLessThan(fromHeic.height); // the stored landscape photo, turned a quarter
    let diff = 0;
    for (let i = 0; i < fromJpeg.image.data.length; i++)
      diff += Math.abs(fromJpeg.image.data[i]! - fromHeic.image.data[i]!);
    // Lossy HEVC at quality 90: a few levels on average. A missed or wrong turn gives tens.
    expect(diff / fromJpeg.image.data.length).toBeLessThan(4);
  });

  it('reads the capture date from the EXIF inside the HEIC', async () => {
    expect(parseExifDate(await readExif(heic))).toBe('2022-05-06T07:08:09');
  });

  it('refuses a cut-short HEIC and a fake one with a reason, and keeps decoding good ones', async () => {
    const bytes = await readFile(heic);
    const cut = join(tmp.dir, 'cut.heic');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const fake = join(tmp.dir, 'fake.heic');
    writeFileSync(fake, Buffer.from('this is not a photo at all, only some text in a .heic file'));
    for (const [path, reasons] of [
      [cut, ['corrupt']],
      [fake, ['unsupported', 'corrupt']],
    ] as const) {
      const error = await decodePhoto(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PhotoError);
      expect(reasons).toContain((error as PhotoError).reason);
    }
    expect((await decodePhoto(heic)).format).toBe('heic');
    // Over the pixel limit: refused from the header, before any decoding.
    await expect(decodePhoto(heic, { maxPixels: 10_000 })).rejects.toMatchObject({ reason: 'too-large' });
  });

  it('decodes in worker threads: the calling thread keeps running while a large HEIC decodes', async () => {
    // About 6 megapixels, so that one decode takes long enough to see a stall if it ran on this thread.
    const big = join(tmp.dir, 'big.png');
    await sharp(source()).resize(3000, 2000, { fit: 'fill' }).png().toFile(big);
    const bigHeic = await heicFrom(big, join(tmp.dir, 'big.heic'), 80);
    const pool = new HeifDecoderPool(2);
    try {
      const bytes = await readFile(bigHeic);
      await pool.decode(new Uint8Array(bytes)); // warm: the worker starts and compiles the WebAssembly
      let last = performance.now();
      let longestGap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
      }, 5);
      const started = performance.now();
      const [a, b] = await Promise.all([pool.decode(new Uint8Array(bytes)), pool.decode(new Uint8Array(bytes))]);
      const took = performance.now() - started;
      clearInterval(timer);
      expect([a.width, a.height, b.width, b.height]).toEqual([3000, 2000, 3000, 2000]);
      console.log(
        `two 6 MP HEIC decodes: ${took.toFixed(0)} ms; longest stall of this thread ${longestGap.toFixed(0)} ms`,
      );
      expect(longestGap).toBeLessThan(took / 2);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
