import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { PhotoError } from '../../../../src-main/engine/vision/analysis.js';
import { decodePhoto } from '../../../../src-main/engine/vision/decode.js';

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
