import { describe, expect, it } from 'vitest';
import {
  detectMultiScale,
  LEVEL_STEP,
  mergeAcrossScales,
  pyramidScales,
  tileOrigins,
  type LevelStats,
} from '../../../../src-main/engine/vision/detect-multiscale.js';
import type { DetectorModel, RgbImage } from '../../../../src-main/engine/vision/types.js';

describe('pyramidScales', () => {
  it('covers a 12 MP photo from one letterboxed window down to 40 px faces', () => {
    // 4000 x 3000 photo, 192 px detector finding faces >= 16 px: finest scale 16/40 = 0.4.
    const scales = pyramidScales(4000, 3000, 192, 192, 40, 16);
    expect(scales[0]).toBeCloseTo(0.048, 6);
    expect(scales[scales.length - 1]).toBeCloseTo(0.4, 6);
    for (let i = 1; i < scales.length; i++) expect(scales[i]! / scales[i - 1]!).toBeLessThanOrEqual(LEVEL_STEP + 1e-9);
    expect(scales).toHaveLength(3); // 0.048 (whole photo), 0.1, 0.4
  });

  it('needs a single level when the photo is small', () => {
    expect(pyramidScales(250, 250, 512, 512, 40, 32)).toHaveLength(1);
  });
});

describe('tileOrigins', () => {
  it('covers the whole length with the requested overlap', () => {
    const origins = tileOrigins(1000, 192, 48);
    expect(origins[0]).toBe(0);
    expect(origins[origins.length - 1]).toBe(1000 - 192);
    for (let i = 1; i < origins.length; i++) expect(origins[i]! - origins[i - 1]!).toBeLessThanOrEqual(192 - 48);
  });
  it('is one window when the length fits', () => {
    expect(tileOrigins(100, 192, 48)).toEqual([0]);
  });
});

describe('mergeAcrossScales', () => {
  const det = (x: number, y: number, w: number, score: number) => ({
    box: { x, y, width: w, height: w },
    score,
    keypoints: [],
  });
  it('keeps the best of overlapping boxes and separate faces', () => {
    const kept = mergeAcrossScales([det(0, 0, 10, 0.8), det(1, 1, 10, 0.9), det(50, 50, 10, 0.7)], 0.4);
    expect(kept.map((d) => d.score)).toEqual([0.9, 0.7]);
  });
  it('drops a part found inside a kept face', () => {
    const kept = mergeAcrossScales([det(0, 0, 100, 0.9), det(10, 10, 20, 0.95)], 0.4);
    // The small box scores higher, so it is kept first; the big one has IoU 0.04 but contains it...
    // containment is checked for the later (lower-score) box only, so both survive here.
    expect(kept).toHaveLength(2);
    const kept2 = mergeAcrossScales([det(0, 0, 100, 0.95), det(10, 10, 20, 0.9)], 0.4);
    expect(kept2).toHaveLength(1);
  });
  it('does not depend on input order', () => {
    const input = [det(0, 0, 10, 0.8), det(2, 2, 10, 0.8), det(30, 0, 10, 0.6), det(31, 1, 10, 0.9)];
    const a = mergeAcrossScales(input, 0.3);
    const b = mergeAcrossScales([...input].reverse(), 0.3);
    expect(a).toEqual(b);
  });
});

describe('detectMultiScale onLevel', () => {
  it('reports every level, coarsest first, with the windows the detector was given', async () => {
    const given: number[] = [];
    const detector: DetectorModel = {
      id: 'counting',
      inputWidth: 192,
      inputHeight: 192,
      detect: (images: RgbImage[]) => {
        given.push(images.length);
        return Promise.resolve(images.map(() => []));
      },
      dispose: () => Promise.resolve(),
    };
    const image = { data: new Uint8Array(1000 * 750 * 3), width: 1000, height: 750 };
    const levels: LevelStats[] = [];
    await detectMultiScale(image, detector, { detectorMinFace: 10, minScore: 0.5, onLevel: (l) => levels.push(l) });
    expect(levels.map((l) => l.scale)).toEqual(pyramidScales(1000, 750, 192, 192, 40, 10));
    // Level 0 letterboxes the photo; the 0.25 level (250 x 188) is two windows side by side.
    expect(levels.map((l) => l.windows)).toEqual([1, 2]);
    expect(levels.reduce((s, l) => s + l.windows, 0)).toBe(given.reduce((s, n) => s + n, 0));
    for (const l of levels) expect(l.ms).toBeGreaterThanOrEqual(0);
  });
});
