import { describe, expect, it } from 'vitest';
import { crossSetPairDistances, pairDistances } from '../../../training/metrics.js';

// Unit vectors on a circle (d = 2): angle -> (cos, sin).
const at = (...angles: number[]) => Float64Array.from(angles.flatMap((a) => [Math.cos(a), Math.sin(a)]));
const sq = (a: number, b: number) => 2 - 2 * Math.cos(a - b);

describe('crossSetPairDistances', () => {
  it('splits every (query, reference) pair by label, and appends to existing pairs', () => {
    const query = at(0, 1);
    const reference = at(0.5, 2, 3);
    const r = crossSetPairDistances(query, [1, 2], reference, [1, 1, 2], 2);
    expect(Array.from(r.same)).toEqual([sq(0, 0.5), sq(0, 2), sq(1, 3)].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(r.different)).toEqual([sq(0, 3), sq(1, 0.5), sq(1, 2)].map((v) => expect.closeTo(v, 12)));
    const within = pairDistances(query, query, [1, 1], 2);
    const joined = crossSetPairDistances(query, [1, 2], reference, [1, 1, 2], 2, within);
    expect(joined.same.length).toBe(within.same.length + 3);
    expect(joined.same[0]).toBeCloseTo(sq(0, 1), 12);
    expect(joined.different.length).toBe(3);
  });
});
