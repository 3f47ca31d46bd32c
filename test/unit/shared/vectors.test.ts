import { describe, expect, it } from 'vitest';
import {
  concatNormalized,
  dot,
  l2Norm,
  l2Normalize,
  squaredL2,
  unitDistanceFromDot,
} from '../../../src-shared/vectors.js';

describe('vectors', () => {
  it('dot and norm on hand-computed vectors', () => {
    expect(dot([1, 2, 3], [4, -5, 6])).toBe(12); // 4 - 10 + 18
    expect(l2Norm([3, 4])).toBe(5);
    expect(() => dot([1], [1, 2])).toThrow(RangeError);
  });

  it('l2Normalize gives a unit vector with the same direction and refuses zero vectors', () => {
    const v = l2Normalize([3, 0, -4]);
    expect(v).toBeInstanceOf(Float32Array);
    expect(Array.from(v)).toEqual([expect.closeTo(0.6, 7), 0, expect.closeTo(-0.8, 7)]);
    expect(() => l2Normalize([0, 0])).toThrow(RangeError);
    expect(() => l2Normalize([NaN, 1])).toThrow(RangeError);
  });

  it('squaredL2 is FaceNet distance: 0 identical, 2 orthogonal, 4 opposite', () => {
    expect(squaredL2([1, 0], [1, 0])).toBe(0);
    expect(squaredL2([1, 0], [0, 1])).toBe(2);
    expect(squaredL2([1, 0], [-1, 0])).toBe(4);
    expect(squaredL2([1, 2, 3], [0, 4, 1])).toBe(9); // 1 + 4 + 4
    // 60 degrees apart: 2 - 2 cos 60 = 1.
    const a = [1, 0];
    const b = [0.5, Math.sqrt(3) / 2];
    expect(squaredL2(a, b)).toBeCloseTo(1, 12);
    expect(unitDistanceFromDot(dot(a, b))).toBeCloseTo(1, 12);
    expect(unitDistanceFromDot(1.0000001)).toBe(0); // clamped
  });

  it('concatNormalized weights parts equally and keeps distances as the mean of the parts', () => {
    const c = concatNormalized([
      [2, 0],
      [0, 0, 5],
    ]);
    const h = Math.SQRT1_2;
    expect(Array.from(c)).toEqual([expect.closeTo(h, 6), 0, 0, 0, expect.closeTo(h, 6)]);
    expect(l2Norm(c)).toBeCloseTo(1, 6);
    // Part 1 distance 2 (orthogonal), part 2 distance 0 -> concatenation distance (2 + 0) / 2 = 1.
    const d = concatNormalized([
      [0, 1],
      [0, 0, 1],
    ]);
    expect(squaredL2(c, d)).toBeCloseTo(1, 6);
    // Weights: part 1 with weight sqrt(3) carries 3/4 of the distance: 3/4 * 2 = 1.5.
    const w = [Math.sqrt(3), 1];
    expect(squaredL2(concatNormalized([[1, 0], [1]], w), concatNormalized([[0, 1], [1]], w))).toBeCloseTo(1.5, 6);
    expect(() => concatNormalized([[0, 0]])).toThrow(RangeError);
  });
});
