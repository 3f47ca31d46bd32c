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
  /** Adaptive merge criterion for average linkage; absent: plain linkage. */
  adaptive?: AdaptiveCriterion;
}

/**
 * How a merge of two clusters A and B (average linkage, neither holding an anchor) is judged against the
 * threshold instead of by the plain linkage L(A,B), the mean squared L2 over member pairs:
 *
 *   value(A, B) = (L(A,B) - spread · (s_A + s_B)) / (1 + sizeSlack · (1 - 1/min(|A|, |B|)))
 *
 * (with singleSpread in place of spread when a single face joins a group of singleSpreadFrom faces or more).
 *
 * s_A is A's mean squared distance to its own centroid (0 for a single face). For squared L2,
 * L(A,B) = |c_A - c_B|^2 + s_A + s_B, so spread 1 judges centroids alone (a diffuse cluster, a person seen
 * in many poses, is not penalised for its own spread) and spread 0 is plain average linkage. sizeSlack > 0
 * lets two groups of several faces join at a looser cut than a single face attaches (the mean over many
 * pairs is a steadier estimate than one face's distances), < 0 makes it stricter. A single face joining a
 * single face is always judged by its distance alone, and a pair with an anchor (the user's confirmed
 * faces) by the plain linkage, so a person still gains only what is within the threshold of its confirmed
 * faces. The value is a fixed function of the two clusters, merges still go lowest value first, and a
 * stricter threshold stops the same sequence earlier: it only splits.
 */
export interface AdaptiveCriterion {
  /** 0..1 (default 0). */
  spread?: number;
  /** -0.5..2 (default 0). */
  sizeSlack?: number;
  /**
   * Largest spread s_A credited (squared L2, default no cap): a group that is diffuse because it mixes people
   * gets no more credit than a person seen in many poses, so it cannot snowball faces of strangers.
   */
  spreadCap?: number;
  /**
   * The spread credit when a single face joins a group of at least `singleSpreadFrom` faces (0..1, default
   * `spread`). A group that large has a steady centroid: a face of a person photographed in many poses sits
   * further from the group's members on average than their own spread allows under `spread`, yet close to the
   * centroid. Small groups keep `spread`: there a larger credit lets strangers join (LFW View 1 train).
   */
  singleSpread?: number;
  /** Smallest group (faces) that gives a single face the singleSpread credit (an integer >= 2, default 2). */
  singleSpreadFrom?: number;
}

/** Rejects an adaptive criterion outside its ranges; returns whether it changes anything. */
export function checkAdaptive(c: AdaptiveCriterion | undefined): boolean {
  const spread = c?.spread ?? 0;
  const sizeSlack = c?.sizeSlack ?? 0;
  const cap = c?.spreadCap ?? Infinity;
  if (!(spread >= 0 && spread <= 1)) throw new RangeError('adaptive spread must be in 0..1');
  if (!(sizeSlack >= -0.5 && sizeSlack <= 2)) throw new RangeError('adaptive sizeSlack must be in -0.5..2');
  if (!(cap >= 0)) throw new RangeError('adaptive spreadCap must be >= 0');
  const single = c?.singleSpread ?? spread;
  const from = c?.singleSpreadFrom ?? 2;
  if (!(single >= 0 && single <= 1)) throw new RangeError('adaptive singleSpread must be in 0..1');
  if (!(Number.isInteger(from) && from >= 2)) throw new RangeError('adaptive singleSpreadFrom must be an integer >= 2');
  return spread !== 0 || sizeSlack !== 0 || single !== 0;
}

/**
 * The value a merge of two unanchored clusters is judged by (AdaptiveCriterion): `plain` is their average
 * linkage, sA and sB their spreads (mean squared distance to the centroid, before the cap), nA and nB the
 * faces that represent them. Both agglomeration algorithms call this one function.
 */
export function adaptiveValue(
  c: AdaptiveCriterion,
  plain: number,
  sA: number,
  sB: number,
  nA: number,
  nB: number,
): number {
  const cap = c.spreadCap ?? Infinity;
  const credit = spreadFactor(c, nA, nB) * (Math.min(cap, sA) + Math.min(cap, sB));
  return Math.max(0, plain - credit) / (1 + (c.sizeSlack ?? 0) * (1 - 1 / Math.min(nA, nB)));
}

/**
 * The share of the two spreads credited to a merge of clusters of nA and nB faces: singleSpread when a single
 * face joins a group of at least singleSpreadFrom faces, else spread.
 */
export function spreadFactor(c: AdaptiveCriterion, nA: number, nB: number): number {
  const single = Math.min(nA, nB) === 1 && Math.max(nA, nB) >= (c.singleSpreadFrom ?? 2);
  return (single ? c.singleSpread : undefined) ?? c.spread ?? 0;
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
