/**
 * What both agglomeration algorithms (exact and kNN-graph) take and return.
 *
 * Linkage: the distance between clusters A and B, from FaceNet distances D (squared L2) between members:
 * - average (default): mean of D over all |A|·|B| member pairs (UPGMA);
 * - single: minimum D over member pairs;
 * - complete: maximum D over member pairs.
 * Clusters merge, closest pair first, while their linkage is <= the threshold (the same inclusive rule as
 * verification: a pair at exactly the threshold counts as the same person). Ties are broken by the pair's
 * canonical indices, so the result is a function of the set of faces alone.
 */
export type Linkage = 'average' | 'single' | 'complete';

export const LINKAGES: readonly Linkage[] = ['average', 'single', 'complete'];

export interface AgglomerationProblem {
  /** n rows of unit vectors (canonical order), row-major. */
  vectors: Float32Array;
  dim: number;
  /** Initial cluster of each row (smallest index of its must-link group; see constraints.ts). */
  root: Int32Array;
  /** Pairs of roots that must never end in the same cluster. */
  cannot: readonly (readonly [number, number])[];
  /** Merge while linkage <= threshold (squared L2, 0..4). */
  threshold: number;
  linkage: Linkage;
}

/** Cluster label per row: the smallest row index in its cluster. */
export type Labels = Int32Array;

/** Follow merge pointers to the final cluster of every row (labels are the surviving, smallest, index). */
export function labelsFromMerges(mergedInto: Int32Array): Labels {
  const n = mergedInto.length;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    // Merges always keep the smaller index, so mergedInto[i] < i for merged rows: one forward pass suffices.
    const m = mergedInto[i] as number;
    labels[i] = m === i ? i : (labels[m] as number);
  }
  return labels;
}
