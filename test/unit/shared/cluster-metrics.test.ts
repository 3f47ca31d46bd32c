import { describe, expect, it } from 'vitest';
import { bcubedScores, clusterScores, pairwiseScores } from '../../../src-shared/cluster-metrics.js';

describe('cluster metrics', () => {
  it('scores a mixed partition (hand-computed)', () => {
    // Cells: (1,a)=2 (2,a)=1 (2,b)=2 (3,c)=1. Predicted sizes 2,3,1; true sizes 3,2,1.
    const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
    const predicted = [1, 1, 2, 2, 2, 3];
    const s = clusterScores(predicted, truth);
    // Pairs together in both: C(2,2) + C(2,2) = 2; predicted pairs 1 + 3 = 4; true pairs 3 + 1 = 4.
    expect(s.pairwise).toEqual({ precision: 0.5, recall: 0.5, f: 0.5 });
    // BCubed P = (4/2 + 1/3 + 4/3 + 1/1) / 6 = 7/9; R = (4/3 + 1/3 + 4/2 + 1/1) / 6 = 7/9.
    expect(s.bcubed.precision).toBeCloseTo(7 / 9, 12);
    expect(s.bcubed.recall).toBeCloseTo(7 / 9, 12);
    expect(s.bcubed.f).toBeCloseTo(7 / 9, 12);
    expect([s.items, s.clusters, s.classes]).toEqual([6, 3, 3]);
  });

  it('separates precision from recall on an over-split identity', () => {
    const truth = ['a', 'a', 'a', 'a'];
    const predicted = [1, 1, 2, 3];
    // Pairwise: 1 pair together, 1 predicted pair, 6 true pairs -> P 1, R 1/6, F 2/7.
    const pw = pairwiseScores(predicted, truth);
    expect(pw.precision).toBe(1);
    expect(pw.recall).toBeCloseTo(1 / 6, 12);
    expect(pw.f).toBeCloseTo(2 / 7, 12);
    // BCubed: P = (4/2 + 1 + 1) / 4 = 1; R = (4/4 + 1/4 + 1/4) / 4 = 3/8; F = 6/11.
    const b = bcubedScores(predicted, truth);
    expect(b.precision).toBeCloseTo(1, 12);
    expect(b.recall).toBeCloseTo(3 / 8, 12);
    expect(b.f).toBeCloseTo(6 / 11, 12);
    // Swapping the roles swaps precision and recall.
    const swapped = bcubedScores(truth, predicted);
    expect(swapped.precision).toBeCloseTo(3 / 8, 12);
    expect(swapped.recall).toBeCloseTo(1, 12);
  });

  it('gives 1 for identical partitions whatever the label names, and uses the documented conventions', () => {
    const s = clusterScores(['x', 'x', 'y', 7], [0, 0, 1, 2]);
    expect(s.pairwise.f).toBe(1);
    expect(s.bcubed.f).toBe(1);
    // All singletons on both sides: no pairs anywhere -> pairwise 1 by convention.
    expect(pairwiseScores([1, 2, 3], ['a', 'b', 'c'])).toEqual({ precision: 1, recall: 1, f: 1 });
    // Everything merged into one cluster: pairwise precision = true pairs / all pairs = 2/6.
    expect(pairwiseScores([0, 0, 0, 0], ['a', 'a', 'b', 'b']).precision).toBeCloseTo(1 / 3, 12);
    // 1 and '1' are different labels.
    expect(pairwiseScores([1, '1'], ['a', 'a']).recall).toBe(0);
    expect(() => pairwiseScores([1], [])).toThrow(RangeError);
  });
});
