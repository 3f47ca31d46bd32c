/**
 * Face verification metrics, as defined in FaceNet section 4. Inputs are distances (squared L2 between unit
 * embeddings); a pair is accepted as "same" when its distance is <= the threshold d.
 *
 *   VAL(d) = |{same pairs with D <= d}| / |same pairs|      (true accept rate)
 *   FAR(d) = |{different pairs with D <= d}| / |different pairs|   (false accept rate)
 *
 * Sweeps over thresholds use only the observed distances as candidates: VAL and FAR are step functions that
 * change only there, so nothing is lost and results are exact (no grid, no interpolation).
 */

export type Distances = ArrayLike<number>;

function countAtOrBelow(distances: Distances, threshold: number): number {
  let c = 0;
  for (let i = 0; i < distances.length; i++) if ((distances[i] as number) <= threshold) c++;
  return c;
}

/** Fraction of `distances` that are <= threshold (0 for an empty set). */
function fractionAtOrBelow(distances: Distances, threshold: number): number {
  return distances.length === 0 ? 0 : countAtOrBelow(distances, threshold) / distances.length;
}

/** Validation rate: fraction of same-identity pairs accepted at `threshold`. */
export function val(sameDistances: Distances, threshold: number): number {
  return fractionAtOrBelow(sameDistances, threshold);
}

/** False accept rate: fraction of different-identity pairs accepted at `threshold`. */
export function far(differentDistances: Distances, threshold: number): number {
  return fractionAtOrBelow(differentDistances, threshold);
}

/** Accuracy at `threshold`: (same pairs accepted + different pairs rejected) / all pairs. */
export function accuracy(sameDistances: Distances, differentDistances: Distances, threshold: number): number {
  const total = sameDistances.length + differentDistances.length;
  if (total === 0) return 0;
  const ta = countAtOrBelow(sameDistances, threshold);
  const fa = countAtOrBelow(differentDistances, threshold);
  return (ta + differentDistances.length - fa) / total;
}

export interface RocPoint {
  /** Accept when distance <= threshold. */
  threshold: number;
  val: number;
  far: number;
  /** Counts behind the rates, for exact reporting. */
  trueAccepts: number;
  falseAccepts: number;
}

function assertFinite(distances: Distances, what: string): void {
  for (let i = 0; i < distances.length; i++) {
    if (!Number.isFinite(distances[i] as number)) throw new RangeError(`${what}[${i}] is not a finite distance`);
  }
}

/**
 * The ROC curve: one point per distinct observed distance, thresholds ascending, VAL and FAR non-decreasing.
 * The implicit starting point (VAL = FAR = 0, threshold below every distance) is not included; the last
 * point is always VAL = FAR = 1. O(n log n).
 */
export function rocCurve(sameDistances: Distances, differentDistances: Distances): RocPoint[] {
  assertFinite(sameDistances, 'same');
  assertFinite(differentDistances, 'different');
  const nSame = sameDistances.length;
  const nDiff = differentDistances.length;
  // Tag each distance with its kind and sort once; walk the sorted list accumulating counts.
  const all: { d: number; same: boolean }[] = [];
  for (let i = 0; i < nSame; i++) all.push({ d: sameDistances[i] as number, same: true });
  for (let i = 0; i < nDiff; i++) all.push({ d: differentDistances[i] as number, same: false });
  all.sort((a, b) => a.d - b.d);
  const points: RocPoint[] = [];
  let ta = 0;
  let fa = 0;
  for (let i = 0; i < all.length;) {
    const d = (all[i] as { d: number }).d;
    // Every pair at exactly this distance is accepted together: one point per distinct distance.
    while (i < all.length && (all[i] as { d: number }).d === d) {
      if ((all[i] as { same: boolean }).same) ta++;
      else fa++;
      i++;
    }
    points.push({
      threshold: d,
      val: nSame ? ta / nSame : 0,
      far: nDiff ? fa / nDiff : 0,
      trueAccepts: ta,
      falseAccepts: fa,
    });
  }
  return points;
}

/** Area under the ROC curve (VAL against FAR, trapezoids, starting from (0, 0)). */
export function rocAuc(points: readonly RocPoint[]): number {
  let area = 0;
  let px = 0;
  let py = 0;
  for (const p of points) {
    area += ((p.far - px) * (p.val + py)) / 2;
    px = p.far;
    py = p.val;
  }
  return area;
}

export interface ValAtFarResult {
  /** The largest observed distance whose FAR is <= the target; -Infinity when none is (accept nothing). */
  threshold: number;
  val: number;
  far: number;
}

/**
 * VAL at a target FAR (FaceNet's headline: VAL at FAR = 1e-3): the largest observed threshold whose FAR is
 * at most `targetFar`, and the VAL there. Larger thresholds only raise VAL, so the largest admissible one is
 * the best. When even the smallest distance is a different pair that breaks the target, no threshold
 * qualifies: the result is accept-nothing (threshold -Infinity, VAL 0, FAR 0).
 */
export function valAtFar(sameDistances: Distances, differentDistances: Distances, targetFar: number): ValAtFarResult {
  let best: ValAtFarResult = { threshold: -Infinity, val: 0, far: 0 };
  for (const p of rocCurve(sameDistances, differentDistances)) {
    if (p.far <= targetFar) best = { threshold: p.threshold, val: p.val, far: p.far };
    else break; // FAR never decreases along the curve.
  }
  return best;
}

export interface ThresholdChoice {
  threshold: number;
  /** Accuracy of `threshold` on the pairs it was chosen on. */
  accuracy: number;
}

/** A number a little below x (so that "<= result" excludes x), for the accept-nothing threshold. */
function justBelow(x: number): number {
  return x - Math.max(Math.abs(x) * 1e-9, 1e-12);
}

/**
 * The threshold that maximises accuracy on these pairs. Accuracy is constant on each interval between
 * consecutive distinct distances [d_k, d_k+1); we return the interval's midpoint (the max-margin choice,
 * which generalises better to held-out pairs than the edge d_k). When several intervals tie, the one with
 * the smallest distances wins (deterministic). If the best is "accept everything", the threshold is the
 * largest distance; if "accept nothing", a value just below the smallest distance.
 */
export function bestAccuracyThreshold(sameDistances: Distances, differentDistances: Distances): ThresholdChoice {
  const nSame = sameDistances.length;
  const nDiff = differentDistances.length;
  const total = nSame + nDiff;
  if (total === 0) throw new RangeError('no pairs to choose a threshold on');
  const points = rocCurve(sameDistances, differentDistances);
  // Accept nothing: every different pair is right, no same pair is.
  let bestCorrect = nDiff;
  let bestThreshold = justBelow((points[0] as RocPoint).threshold);
  points.forEach((p, k) => {
    const correct = p.trueAccepts + (nDiff - p.falseAccepts);
    if (correct > bestCorrect) {
      bestCorrect = correct;
      const next = points[k + 1];
      bestThreshold = next ? (p.threshold + next.threshold) / 2 : p.threshold;
    }
  });
  return { threshold: bestThreshold, accuracy: bestCorrect / total };
}

/** One labelled pair with its fold (0-based), as produced from an LFW pairs file. */
export interface LabelledDistance {
  distance: number;
  same: boolean;
  fold: number;
}

export interface KFoldResult {
  /** Mean of the per-fold test accuracies. */
  accuracy: number;
  /**
   * Standard error of the mean, as the LFW protocol defines it: sigma / sqrt(k) with sigma the sample
   * standard deviation (divisor k - 1) of the k fold accuracies. 0 when k = 1.
   */
  accuracyStdErr: number;
  /** Sample standard deviation of the fold accuracies. */
  accuracyStd: number;
  folds: { fold: number; threshold: number; accuracy: number; pairs: number }[];
  /** Threshold chosen on all pairs together (what an application would then ship). */
  threshold: number;
}

function splitSameDifferent(pairs: readonly LabelledDistance[]): { same: number[]; different: number[] } {
  const same: number[] = [];
  const different: number[] = [];
  for (const p of pairs) (p.same ? same : different).push(p.distance);
  return { same, different };
}

/**
 * LFW k-fold accuracy (standard protocol: k = 10 folds). For each fold, the threshold is chosen to maximise
 * accuracy on the other folds (bestAccuracyThreshold) and accuracy is measured on the held-out fold. Folds
 * are the distinct `fold` values present, in ascending order; at least two are needed.
 */
export function kFoldAccuracy(pairs: readonly LabelledDistance[]): KFoldResult {
  const foldIds = [...new Set(pairs.map((p) => p.fold))].sort((a, b) => a - b);
  if (foldIds.length < 2) throw new RangeError('k-fold accuracy needs at least two folds');
  const folds = foldIds.map((fold) => {
    const train = splitSameDifferent(pairs.filter((p) => p.fold !== fold));
    const testPairs = pairs.filter((p) => p.fold === fold);
    const test = splitSameDifferent(testPairs);
    const { threshold } = bestAccuracyThreshold(train.same, train.different);
    return { fold, threshold, accuracy: accuracy(test.same, test.different, threshold), pairs: testPairs.length };
  });
  const k = folds.length;
  const mean = folds.reduce((s, f) => s + f.accuracy, 0) / k;
  const variance = folds.reduce((s, f) => s + (f.accuracy - mean) ** 2, 0) / (k - 1);
  const std = Math.sqrt(variance);
  const all = splitSameDifferent(pairs);
  return {
    accuracy: mean,
    accuracyStdErr: std / Math.sqrt(k),
    accuracyStd: std,
    folds,
    threshold: bestAccuracyThreshold(all.same, all.different).threshold,
  };
}

export interface PairEvaluation {
  /** LFW k-fold mean accuracy and its standard error (kFoldAccuracy). */
  accuracy: number;
  accuracyStdErr: number;
  /** Best-accuracy threshold on all pairs. */
  threshold: number;
  /** VAL at the target FAR (default 1e-3), with the threshold that achieves it. */
  valAtFar: ValAtFarResult & { targetFar: number };
  /** Area under the ROC curve. */
  auc: number;
  pairs: number;
  folds: KFoldResult['folds'];
}

/**
 * Everything `facenet eval lfw` reports, from labelled, folded distances (every distance must be finite:
 * decide before calling what a pair whose face was not found counts as).
 */
export function evaluatePairs(pairs: readonly LabelledDistance[], targetFar = 1e-3): PairEvaluation {
  const k = kFoldAccuracy(pairs);
  const { same, different } = splitSameDifferent(pairs);
  return {
    accuracy: k.accuracy,
    accuracyStdErr: k.accuracyStdErr,
    threshold: k.threshold,
    valAtFar: { ...valAtFar(same, different, targetFar), targetFar },
    auc: rocAuc(rocCurve(same, different)),
    pairs: pairs.length,
    folds: k.folds,
  };
}
