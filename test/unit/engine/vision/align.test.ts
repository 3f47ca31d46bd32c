import { describe, expect, it } from 'vitest';
import {
  applySimilarity,
  estimateSimilarity,
  flipHorizontal,
  invertSimilarity,
  similarityScale,
  warpChip,
} from '../../../../src-main/engine/vision/align.js';
import {
  ARCFACE_112,
  DLIB_ALIGNMENT_INDICES,
  dlibTemplate,
  fivePointsFrom68,
} from '../../../../src-main/engine/vision/templates.js';
import type { RgbImage } from '../../../../src-main/engine/vision/types.js';

describe('estimateSimilarity', () => {
  it('recovers a known rotation, scale and translation exactly', () => {
    const truth = { a: 2 * Math.cos(0.3), b: 2 * Math.sin(0.3), tx: 15, ty: -7 };
    const from = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 3, y: 8 },
      { x: -4, y: 5 },
    ];
    const to = from.map((p) => applySimilarity(truth, p));
    const t = estimateSimilarity(from, to);
    expect(t.a).toBeCloseTo(truth.a, 10);
    expect(t.b).toBeCloseTo(truth.b, 10);
    expect(t.tx).toBeCloseTo(15, 10);
    expect(t.ty).toBeCloseTo(-7, 10);
    expect(similarityScale(t)).toBeCloseTo(2, 10);
  });

  it('is the least-squares fit for noisy points (residual symmetric around zero mean)', () => {
    // Two points: exact fit always exists; a mirrored set has no rotation+scale fit, so b and a shrink.
    const from = [
      { x: -1, y: 0 },
      { x: 1, y: 0 },
      { x: 0, y: 1 },
    ];
    const to = [
      { x: -1, y: 0 },
      { x: 1, y: 0 },
      { x: 0, y: -1 },
    ];
    const t = estimateSimilarity(from, to);
    // Hand computation: centred from = (-1,-1/3),(1,-1/3),(0,2/3); to = (-1,1/3),(1,1/3),(0,-2/3)
    // dot = 1 - 1/9 + 1 - 1/9 - 4/9 = 4/3; norm = 2 + 2/9 + 4/9 = 8/3 -> a = 0.5; cross = 0 -> b = 0.
    expect(t.a).toBeCloseTo(0.5, 10);
    expect(t.b).toBeCloseTo(0, 10);
  });

  it('inverts', () => {
    const t = { a: 0.8, b: -0.6, tx: 3, ty: 4 };
    const p = { x: 12, y: -5 };
    const q = applySimilarity(invertSimilarity(t), applySimilarity(t, p));
    expect(q.x).toBeCloseTo(p.x, 10);
    expect(q.y).toBeCloseTo(p.y, 10);
  });
});

function gradientImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data[(y * width + x) * 3] = x % 256;
      data[(y * width + x) * 3 + 1] = y % 256;
      data[(y * width + x) * 3 + 2] = 128;
    }
  }
  return { data, width, height };
}

describe('warpChip', () => {
  it('samples the exact pixels for an integer translation', () => {
    const image = gradientImage(64, 64);
    const chip = warpChip(image, { a: 1, b: 0, tx: 10, ty: 20 }, 8);
    expect(chip.data[0]).toBe(10); // x of chip (0,0) = 10
    expect(chip.data[1]).toBe(20);
    expect(chip.data[(3 * 8 + 5) * 3]).toBe(15);
    expect(chip.data[(3 * 8 + 5) * 3 + 1]).toBe(23);
  });

  it('interpolates bilinearly between pixels', () => {
    const image = gradientImage(16, 16);
    const chip = warpChip(image, { a: 1, b: 0, tx: 2.5, ty: 3.25 }, 2);
    expect(chip.data[0]).toBe(3); // 2.5 rounds to 3 (Math.round)
    expect(chip.data[1]).toBe(3); // 3.25 -> 3
  });

  it('area-averages when shrinking a large face (no aliasing of a fine checkerboard)', () => {
    const width = 400;
    const data = new Uint8Array(width * width * 3);
    for (let y = 0; y < width; y++)
      for (let x = 0; x < width; x++) data.fill((x + y) % 2 ? 255 : 0, (y * width + x) * 3, (y * width + x) * 3 + 3);
    const chip = warpChip({ data, width, height: width }, { a: 4, b: 0, tx: 40, ty: 40 }, 50);
    // A 1-pixel checkerboard seen at 1/4 scale is uniform grey, not black/white noise.
    for (let i = 0; i < chip.data.length; i++) expect(Math.abs(chip.data[i]! - 128)).toBeLessThanOrEqual(2);
  });

  it('fills outside the image with black', () => {
    const chip = warpChip(gradientImage(8, 8), { a: 1, b: 0, tx: -100, ty: -100 }, 4);
    expect(Array.from(chip.data).every((v) => v === 0)).toBe(true);
  });
});

describe('templates', () => {
  it('dlib uses 33 of the 68 points: no chin, eyebrows or lower lip', () => {
    expect(DLIB_ALIGNMENT_INDICES).toHaveLength(33);
    for (const i of DLIB_ALIGNMENT_INDICES) {
      expect(i >= 27 && i <= 67).toBe(true);
      expect((i >= 55 && i <= 59) || (i >= 65 && i <= 67)).toBe(false);
    }
  });

  it('places the dlib template inside the chip with the eyes level and symmetric', () => {
    const t = dlibTemplate(150, 0.25);
    for (const p of t) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(150);
    }
    // Nose bridge (27) is on the vertical midline: x = (0.25 + 0.490127) / 1.5 * 150.
    expect(t[0]!.x).toBeCloseTo(((0.25 + 0.490127) / 1.5) * 150, 6);
  });

  it('aligning a face onto its own template gives the identity transform', () => {
    const t = ARCFACE_112;
    const s = estimateSimilarity(t, t);
    expect(s.a).toBeCloseTo(1, 12);
    expect(s.b).toBeCloseTo(0, 12);
  });

  it('derives five points from 68 landmarks (eye centres from the six eye points)', () => {
    const pts = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 2 * i }));
    const five = fivePointsFrom68(pts);
    expect(five[0]).toEqual({ x: 38.5, y: 77 });
    expect(five[1]).toEqual({ x: 44.5, y: 89 });
    expect(five[2]).toEqual({ x: 30, y: 60 });
    expect(five[3]).toEqual({ x: 48, y: 96 });
    expect(five[4]).toEqual({ x: 54, y: 108 });
  });
});

describe('flipHorizontal', () => {
  it('mirrors columns and is its own inverse', () => {
    const image = gradientImage(5, 2);
    const flipped = flipHorizontal(image);
    expect(flipped.data[0]).toBe(4);
    expect(flipHorizontal(flipped).data).toEqual(image.data);
  });
});
