/**
 * Verification figures over all pairs of a labelled set of embeddings, fast enough to run every epoch:
 * pair distances are gathered into typed arrays and VAL at a target FAR is read off sorted arrays in
 * O(n log n), with the same semantics as src-shared/verification.ts valAtFar (a test checks they agree).
 */
import { unitDistanceMatrix, type FloatArray } from './linalg.js';

export interface PairDistances {
  same: Float64Array;
  different: Float64Array;
}

/**
 * Squared L2 distances for every unordered pair i < j of n faces, split by whether their labels agree.
 * Face i is taken from table `a` and face j from table `b` (n x d unit rows each); pass the same table twice
 * for ordinary pairs, or a v1 and a v2 table for cross-version pairs (one image embedded by each version).
 */
export function pairDistances(a: FloatArray, b: FloatArray, labels: ArrayLike<number>, d: number): PairDistances {
  const n = labels.length;
  const dist = unitDistanceMatrix(a, n, b, n, d);
  let nSame = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (labels[i] === labels[j]) nSame++;
  const same = new Float64Array(nSame);
  const different = new Float64Array((n * (n - 1)) / 2 - nSame);
  let s = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = dist[i * n + j] as number;
      if (labels[i] === labels[j]) same[s++] = v;
      else different[o++] = v;
    }
  }
  return { same, different };
}

/**
 * Squared L2 distances for every pair (query i, reference j) of two different face sets (nq x d and nr x d
 * unit rows), split by whether their labels agree; appended to `into` when given.
 */
export function crossSetPairDistances(
  query: FloatArray,
  queryLabels: ArrayLike<number>,
  reference: FloatArray,
  referenceLabels: ArrayLike<number>,
  d: number,
  into?: PairDistances,
): PairDistances {
  const nq = queryLabels.length;
  const nr = referenceLabels.length;
  const dist = unitDistanceMatrix(query, nq, reference, nr, d);
  const same: number[] = [];
  const different: number[] = [];
  for (let i = 0; i < nq; i++)
    for (let j = 0; j < nr; j++)
      (queryLabels[i] === referenceLabels[j] ? same : different).push(dist[i * nr + j] as number);
  const join = (a: Float64Array | undefined, b: number[]) => {
    const out = new Float64Array((a?.length ?? 0) + b.length);
    if (a) out.set(a);
    out.set(b, a?.length ?? 0);
    return out;
  };
  return { same: join(into?.same, same), different: join(into?.different, different) };
}

/**
 * VAL at the largest threshold whose FAR is <= targetFar (FaceNet's VAL at FAR). Accepting k = floor(
 * targetFar · |different|) false pairs is allowed; the threshold must stay below the (k+1)-th smallest
 * different-pair distance, so VAL = |{same < that distance}| / |same| (all same pairs when k >= |different|).
 */
export function valAtFarSorted(pairs: PairDistances, targetFar: number): number {
  const same = Float64Array.from(pairs.same).sort();
  const diff = Float64Array.from(pairs.different).sort();
  if (same.length === 0) return 0;
  const k = Math.floor(targetFar * diff.length + 1e-9);
  if (k >= diff.length) return 1;
  const limit = diff[k] as number;
  // Count same distances strictly below the limit (binary search).
  let lo = 0;
  let hi = same.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((same[mid] as number) < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo / same.length;
}

/**
 * Area under the ROC curve: the probability that a random same pair is closer than a random different pair
 * (ties count one half). A smooth held-out figure that still moves when VAL at a tiny FAR is stuck at 0 or 1.
 */
export function rocAucSorted(pairs: PairDistances): number {
  const same = Float64Array.from(pairs.same).sort();
  const diff = Float64Array.from(pairs.different).sort();
  if (same.length === 0 || diff.length === 0) return 0;
  let wins = 0;
  let j = 0; // diff[0..j) < current same value
  let k = 0; // diff[0..k) <= current same value
  for (let i = 0; i < same.length; i++) {
    const v = same[i] as number;
    while (j < diff.length && (diff[j] as number) < v) j++;
    if (k < j) k = j;
    while (k < diff.length && (diff[k] as number) <= v) k++;
    wins += diff.length - k + (k - j) / 2;
  }
  return wins / (same.length * diff.length);
}
