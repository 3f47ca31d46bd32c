import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { PhotoError } from '../../../../src-main/engine/vision/analysis.js';
import { decodePhoto, openPixels } from '../../../../src-main/engine/vision/decode.js';

const dir = mkdtempSync(join(tmpdir(), 'facenet-decode-'));

/** A 60x40 image whose left half is red and right half blue, so orientation is observable. */
async function halfAndHalf(format: 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif' | 'avif', orientation?: number) {
  const raw = Buffer.alloc(60 * 40 * 3);
  for (let y = 0; y < 40; y++)
    for (let x = 0; x < 60; x++) raw.set(x < 30 ? [255, 0, 0] : [0, 0, 255], (y * 60 + x) * 3);
  let img = sharp(raw, { raw: { width: 60, height: 40, channels: 3 } });
  if (orientation) img = img.withMetadata({ orientation });
  return img.toFormat(format).toBuffer();
}

async function expectPhotoError(path: string, reason: string) {
  const error = await decodePhoto(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PhotoError);
  expect((error as PhotoError).reason).toBe(reason);
  expect((error as PhotoError).message).toContain(path);
}

describe('decodePhoto', () => {
  beforeAll(async () => {
    for (const f of ['jpeg', 'png', 'webp', 'tiff', 'gif', 'avif'] as const)
      writeFileSync(join(dir, `ok.${f}`), await halfAndHalf(f));
    writeFileSync(join(dir, 'rot6.jpg'), await halfAndHalf('jpeg', 6));
    writeFileSync(join(dir, 'empty.jpg'), Buffer.alloc(0));
    writeFileSync(join(dir, 'garbage.jpg'), Buffer.from('this is not an image at all, just text'));
    const jpeg = await halfAndHalf('jpeg');
    writeFileSync(join(dir, 'truncated.jpg'), jpeg.subarray(0, 30));
  });

  it.each(['jpeg', 'png', 'webp', 'tiff', 'gif', 'avif'])('decodes %s to RGB', async (format) => {
    const photo = await decodePhoto(join(dir, `ok.${format}`));
    expect(photo.width).toBe(60);
    expect(photo.height).toBe(40);
    expect(photo.image.data.length).toBe(60 * 40 * 3);
    // Left pixel red-ish, right pixel blue-ish.
    expect(photo.image.data[0]).toBeGreaterThan(200);
    expect(photo.image.data[(59 + 20 * 60) * 3 + 2]).toBeGreaterThan(200);
  });

  it('applies EXIF orientation (6 = rotate 90 clockwise)', async () => {
    const photo = await decodePhoto(join(dir, 'rot6.jpg'));
    expect([photo.width, photo.height]).toEqual([40, 60]);
    // After rotating clockwise, the red (left) half is on top.
    expect(photo.image.data[(5 * 40 + 20) * 3]).toBeGreaterThan(200);
    expect(photo.image.data[(55 * 40 + 20) * 3 + 2]).toBeGreaterThan(200);
  });

  it('shrinks on load and reports the scale', async () => {
    const photo = await decodePhoto(join(dir, 'ok.jpeg'), { maxSide: 30 });
    expect(photo.image.width).toBe(30);
    expect(photo.scale).toBeCloseTo(0.5, 6);
    expect(photo.width).toBe(60);
  });

  it('refuses decompression bombs before decoding', async () => {
    const error = await decodePhoto(join(dir, 'ok.png'), { maxPixels: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhotoError);
    expect((error as PhotoError).reason).toBe('too-large');
  });

  it('gives typed errors for missing, empty, garbage and truncated files', async () => {
    await expectPhotoError(join(dir, 'missing.jpg'), 'unreadable');
    await expectPhotoError(join(dir, 'empty.jpg'), 'empty');
    await expectPhotoError(join(dir, 'garbage.jpg'), 'unsupported');
    await expectPhotoError(join(dir, 'truncated.jpg'), 'corrupt');
    await expectPhotoError(dir, 'unreadable');
  });
});

/** A 2400 x 1600 JPEG (3.8 MP, above MIN_PARTIAL_DECODE_PIXELS) of smooth gradients and noise. */
async function largeJpeg(orientation?: number): Promise<Buffer> {
  const width = 2400;
  const height = 1600;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = ((x * 7919 + y * 104729) % 251) | 0;
    }
  let img = sharp(raw, { raw: { width, height, channels: 3 } });
  if (orientation) img = img.withMetadata({ orientation });
  return img.jpeg({ quality: 90 }).toBuffer();
}

describe('openPixels', () => {
  beforeAll(async () => {
    writeFileSync(join(dir, 'large.jpg'), await largeJpeg());
    writeFileSync(join(dir, 'large-rot6.jpg'), await largeJpeg(6));
    writeFileSync(join(dir, 'small.jpg'), await halfAndHalf('jpeg'));
  });

  it('decodes a large JPEG at the coarsest shrink asked for, once', async () => {
    const { pixels } = await openPixels(join(dir, 'large.jpg'));
    const quarter = await pixels.at(0.2);
    expect([quarter.image.width, quarter.image.height, quarter.scale]).toEqual([600, 400, 0.25]);
    expect(await pixels.at(0.25)).toBe(quarter);
    const full = await pixels.at(1);
    expect([full.image.width, full.image.height, full.scale]).toEqual([2400, 1600, 1]);
  });

  it.each(['large.jpg', 'large-rot6.jpg'])(
    'reads a region of %s with exactly the full decode pixels, oriented',
    async (file) => {
      const path = join(dir, file);
      const whole = await decodePhoto(path);
      const { pixels, width, height } = await openPixels(path);
      expect([width, height]).toEqual([whole.width, whole.height]);
      const area = { x: 300.5, y: 700.2, width: 120, height: 90 };
      const [region] = await pixels.read([{ scale: 1, area }]);
      expect(region!.scale).toBe(1);
      expect(region!.left % 64).toBe(0);
      expect(region!.top % 64).toBe(0);
      expect(region!.left).toBeLessThanOrEqual(area.x);
      expect(region!.left + region!.image.width).toBeGreaterThanOrEqual(area.x + area.width);
      expect(region!.image.width * region!.image.height).toBeLessThan((whole.image.width * whole.image.height) / 4);
      for (let y = 0; y < region!.image.height; y += 7)
        for (let x = 0; x < region!.image.width; x += 5) {
          const r = (y * region!.image.width + x) * 3;
          const w = ((y + region!.top) * whole.image.width + x + region!.left) * 3;
          expect([...region!.image.data.subarray(r, r + 3)]).toEqual([...whole.image.data.subarray(w, w + 3)]);
        }
    },
  );

  it('serves requests from an already decoded image that is fine enough', async () => {
    const { pixels } = await openPixels(join(dir, 'large.jpg'));
    const quarter = await pixels.at(0.25);
    const area = { x: 1000, y: 800, width: 200, height: 200 };
    const [coarse, fine] = await pixels.read([
      { scale: 0.2, area },
      { scale: 0.9, area },
    ]);
    expect(coarse).toBe(quarter);
    expect(fine!.scale).toBe(1);
    expect(fine!.image.width).toBeLessThan(2400);
  });

  it('decodes small JPEGs whole', async () => {
    const { pixels } = await openPixels(join(dir, 'small.jpg'));
    const [region] = await pixels.read([{ scale: 1, area: { x: 10, y: 10, width: 5, height: 5 } }]);
    expect([region!.image.width, region!.image.height, region!.left, region!.top]).toEqual([60, 40, 0, 0]);
    expect((await pixels.at(0.1)).image.width).toBe(60);
  });

  it('reports undecodable pixels as a PhotoError when they are first read', async () => {
    const path = join(dir, 'large-cut.jpg');
    const bytes = await largeJpeg();
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    const { pixels } = await openPixels(path); // the header is intact
    for (const read of [
      () => pixels.at(0.25),
      () => pixels.read([{ scale: 1, area: { x: 5, y: 1500, width: 9, height: 9 } }]),
    ]) {
      const error = await read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PhotoError);
      expect((error as PhotoError).reason).toBe('corrupt');
    }
  });
});
