/**
 * What both agglomeration algorithms (exact and kNN-graph) take and return.
 *
 * Linkage: the distance between clusters A and B, from FaceNet distances D (squared L2) between members:
 * - average (default): mean of D over all |A|·|B| member pairs (UPGMA);
 * - single: minimum D over member pairs;
 * - complete: maximum D over member pairs.
 * Clusters merge, closest pair first, while their linkage is <= the threshold (the same inclusive rule as
 * verification: a pair at exactly the threshold counts as the same person).
 *
 * Anchors (the user's confirmed faces): a cluster that holds an anchor is represented, for every linkage it
 * takes part in, by its anchor's members only. So a named person grows only by clusters that are within the
 * threshold of the faces the user confirmed, never by a chain of look-alikes of look-alikes; and since the
 * anchor never changes, merges stay in the same order whatever the threshold (a stricter threshold gives a
 * refinement of a looser one). Ties are broken by the pair's
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
  /**
   * Roots whose initial group is an anchor (1) — the faces the user confirmed. A cluster holding an anchor is
   * measured by its anchor alone: it gains another cluster C only when linkage(anchor, C) <= threshold, and
   * the faces it gained never pull in more (no chains through unconfirmed faces). Absent: no anchors.
   */
  anchored?: Uint8Array;
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
