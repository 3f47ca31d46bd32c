/** orient() turns pixels exactly as sharp's auto-orientation does for each of the eight EXIF orientations. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { orient, swapsAxes } from '../../../../../src-main/engine/vision/formats/orientation.js';

describe('orient', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i matches sharp auto-orientation of a tagged image', async (o) => {
    // A 3x2 image with six distinct pixels, so that every turn and mirror is told apart.
    const w = 3;
    const h = 2;
    const raw = Buffer.alloc(w * h * 3);
    for (let i = 0; i < w * h; i++) raw[i * 3] = 20 + i * 40;
    const png = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .withMetadata({ orientation: o })
      .toBuffer();
    const expected = await sharp(png).autoOrient().raw().toBuffer({ resolveWithObject: true });
    const actual = await orient(sharp(raw, { raw: { width: w, height: h, channels: 3 } }), o)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([actual.info.width, actual.info.height]).toEqual([expected.info.width, expected.info.height]);
    expect([...actual.data]).toEqual([...expected.data]);
    expect(swapsAxes(o)).toBe(actual.info.width === h);
  });
});
