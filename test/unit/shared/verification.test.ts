import { describe, expect, it } from 'vitest';
import {
  accuracy,
  bestAccuracyThreshold,
  evaluatePairs,
  far,
  kFoldAccuracy,
  rocAuc,
  rocCurve,
  val,
  valAtFar,
  type LabelledDistance,
} from '../../../src-shared/verification.js';

// Sorted together: 0.2s 0.5s 0.7d 0.9s 1.2d 1.3s 1.5d 2.0d 2.5d
const same = [0.9, 0.2, 1.3, 0.5];
const diff = [2.0, 0.7, 2.5, 1.2, 1.5];

describe('VAL and FAR', () => {
  it('count pairs at or below the threshold (inclusive)', () => {
    expect(val(same, 1.0)).toBe(3 / 4);
    expect(val(same, 0.5)).toBe(2 / 4);
    expect(val(same, 0.49)).toBe(1 / 4);
    expect(far(diff, 1.0)).toBe(1 / 5);
    expect(far(diff, 1.2)).toBe(2 / 5);
    expect(far(diff, 0.1)).toBe(0);
    expect(val([], 1)).toBe(0);
    // 3 same accepted + 4 different rejected out of 9.
    expect(accuracy(same, diff, 1.0)).toBe(7 / 9);
  });
});

describe('ROC', () => {
  it('has one point per distinct distance with exact rates', () => {
    const roc = rocCurve(same, diff);
    expect(roc.map((p) => [p.threshold, p.val, p.far])).toEqual([
      [0.2, 0.25, 0],
      [0.5, 0.5, 0],
      [0.7, 0.5, 0.2],
      [0.9, 0.75, 0.2],
      [1.2, 0.75, 0.4],
      [1.3, 1, 0.4],
      [1.5, 1, 0.6],
      [2.0, 1, 0.8],
      [2.5, 1, 1],
    ]);
    // AUC equals P(same distance < different distance) = 17/20 (Mann-Whitney, counted by hand).
    expect(rocAuc(roc)).toBeCloseTo(0.85, 12);
  });

  it('groups tied distances into a single point', () => {
    const roc = rocCurve([1, 1], [1, 2]);
    expect(roc).toEqual([
      { threshold: 1, val: 1, far: 0.5, trueAccepts: 2, falseAccepts: 1 },
      { threshold: 2, val: 1, far: 1, trueAccepts: 2, falseAccepts: 2 },
    ]);
    expect(() => rocCurve([NaN], [1])).toThrow(RangeError);
  });
});

describe('VAL at FAR', () => {
  it('takes the largest threshold whose FAR is within the target', () => {
    expect(valAtFar(same, diff, 0.2)).toEqual({ threshold: 0.9, val: 0.75, far: 0.2 });
    expect(valAtFar(same, diff, 0)).toEqual({ threshold: 0.5, val: 0.5, far: 0 });
    expect(valAtFar(same, diff, 0.5)).toEqual({ threshold: 1.3, val: 1, far: 0.4 });
    expect(valAtFar(same, diff, 1)).toEqual({ threshold: 2.5, val: 1, far: 1 });
  });

  it('accepts nothing when the closest pair is already a false accept', () => {
    expect(valAtFar([0.5], [0.1], 0)).toEqual({ threshold: -Infinity, val: 0, far: 0 });
  });
});

describe('best accuracy threshold', () => {
  it('picks the midpoint of the first best interval', () => {
    // Correct counts per threshold: none 5, .2 6, .5 7, .7 6, .9 7, 1.2 6, 1.3 7 ... -> first 7 at 0.5.
    const t = bestAccuracyThreshold(same, diff);
    expect(t.threshold).toBeCloseTo(0.6, 12);
    expect(t.accuracy).toBe(7 / 9);
  });

  it('handles accept-nothing and accept-everything optima', () => {
    const nothing = bestAccuracyThreshold([0.9], [0.1, 0.2]);
    expect(nothing.accuracy).toBe(2 / 3);
    expect(nothing.threshold).toBeLessThan(0.1);
    expect(bestAccuracyThreshold([0.1, 0.2], [])).toEqual({ threshold: 0.2, accuracy: 1 });
  });
});

describe('k-fold accuracy', () => {
  it('chooses each threshold on the other folds and measures on the held-out one', () => {
    const pairs: LabelledDistance[] = [
      { distance: 0.1, same: true, fold: 0 },
      { distance: 0.9, same: false, fold: 0 },
      { distance: 0.3, same: true, fold: 1 },
      { distance: 0.5, same: false, fold: 1 },
      { distance: 0.8, same: true, fold: 2 },
      { distance: 0.6, same: false, fold: 2 },
    ];
    const r = kFoldAccuracy(pairs);
    // Fold 0: trained on folds 1,2 -> 0.4, both right. Fold 1: trained on 0,2 -> 0.35, both right.
    // Fold 2: trained on 0,1 -> 0.4, the same pair at 0.8 is rejected -> 0.5 (tuning on fold 2 would give 1).
    expect(r.folds.map((f) => f.threshold)).toEqual([
      expect.closeTo(0.4, 12),
      expect.closeTo(0.35, 12),
      expect.closeTo(0.4, 12),
    ]);
    expect(r.folds.map((f) => f.accuracy)).toEqual([1, 1, 0.5]);
    expect(r.accuracy).toBeCloseTo(2.5 / 3, 12);
    // Sample variance ((1/6)^2 * 2 + (1/3)^2) / 2 = 1/12; stderr = sqrt(1/12) / sqrt(3) = 1/6.
    expect(r.accuracyStd).toBeCloseTo(Math.sqrt(1 / 12), 12);
    expect(r.accuracyStdErr).toBeCloseTo(1 / 6, 12);
    expect(r.threshold).toBeCloseTo(0.4, 12);
    expect(() => kFoldAccuracy(pairs.filter((p) => p.fold === 0))).toThrow(RangeError);
  });
});

describe('evaluatePairs', () => {
  it('bundles k-fold accuracy, threshold, VAL at FAR and AUC', () => {
    const pairs: LabelledDistance[] = [
      { distance: 0.1, same: true, fold: 0 },
      { distance: 0.9, same: false, fold: 0 },
      { distance: 0.3, same: true, fold: 1 },
      { distance: 0.5, same: false, fold: 1 },
      { distance: 0.8, same: true, fold: 2 },
      { distance: 0.6, same: false, fold: 2 },
    ];
    const e = evaluatePairs(pairs, 0);
    expect(e.accuracy).toBeCloseTo(2.5 / 3, 12);
    expect(e.accuracyStdErr).toBeCloseTo(1 / 6, 12);
    expect(e.threshold).toBeCloseTo(0.4, 12);
    // FAR 0 allows thresholds below 0.5: the largest is 0.3, accepting 2 of 3 same pairs.
    expect(e.valAtFar).toEqual({ threshold: 0.3, val: 2 / 3, far: 0, targetFar: 0 });
    // AUC = P(same < different): 0.1 beats 3, 0.3 beats 3, 0.8 beats 1 (0.9) -> 7/9.
    expect(e.auc).toBeCloseTo(7 / 9, 12);
    expect(e.pairs).toBe(6);
    expect(() => evaluatePairs([...pairs, { distance: NaN, same: true, fold: 0 }])).toThrow(RangeError);
  });
});
