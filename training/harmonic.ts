/**
 * Harmonic mode (FaceNet appendix): train a new embedding layer v2 so that its embeddings can be compared
 * directly with those of the old, fixed layer v1. Faces not yet re-embedded (still v1) keep matching faces
 * that are (v2); thresholds and clusters keep their meaning across versions.
 *
 * Every training step mines, on the same batch, three kinds of triplets in equal measure (one triplet per
 * ordered anchor-positive pair and kind, negatives semi-hard with respect to that kind's distances):
 *   - v2 anchor, v2 positive, v2 negative   ("v2v2v2": the new model must be good on its own);
 *   - v2 anchor, v1 positive, v1 negative   ("v2v1v1": a new embedding must find its person among old ones);
 *   - v1 anchor, v2 positive, v2 negative   ("v1v2v2": an old embedding must find its person among new ones).
 * In the two cross kinds the anchor's own face in the other version is a positive too (mining.ts selfPairs):
 * it ties v2(x) to v1(x) face by face. v1-only triplets carry no gradient (v1 is frozen) and are not mined.
 * The loss table is the batch embedded by v2 (rows 0..n-1) followed by the batch embedded by v1 (rows n..2n-1); only v2 rows back-propagate.
 */
import { concatTriplets, mineSemiHard, type MiningOptions, type MiningStats } from './mining.js';
import { transpose, unitDistanceMatrix } from './linalg.js';
import type { Rng } from '../src-shared/random.js';
import type { Triplets } from './triplet-loss.js';

export const HARMONIC_KINDS = ['v2v2v2', 'v2v1v1', 'v1v2v2'] as const;
export type HarmonicKind = (typeof HARMONIC_KINDS)[number];

export interface HarmonicBatch {
  /** [v2 rows; v1 rows], 2n x d. */
  table: Float64Array;
  triplets: Triplets;
  stats: Record<HarmonicKind, MiningStats>;
}

/** Mines the harmonic mix for one batch: u2 = v2 unit embeddings, u1 = v1 unit embeddings (n x d each). */
export function mineHarmonic(
  u2: Float64Array,
  u1: Float64Array,
  labels: Int32Array,
  d: number,
  rng: Rng,
  options: Omit<MiningOptions, 'anchorOffset' | 'otherOffset'> = {},
): HarmonicBatch {
  const n = labels.length;
  const table = new Float64Array(2 * n * d);
  table.set(u2, 0);
  table.set(u1, n * d);
  const d22 = unitDistanceMatrix(u2, n, u2, n, d);
  const d21 = unitDistanceMatrix(u2, n, u1, n, d); // rows: v2 anchors, columns: v1 faces
  const d12 = transpose(d21, n, n); // rows: v1 anchors, columns: v2 faces
  const m222 = mineSemiHard(d22, labels, rng, { ...options, anchorOffset: 0, otherOffset: 0 });
  const m211 = mineSemiHard(d21, labels, rng, { ...options, anchorOffset: 0, otherOffset: n, selfPairs: true });
  const m122 = mineSemiHard(d12, labels, rng, { ...options, anchorOffset: n, otherOffset: 0, selfPairs: true });
  return {
    table,
    triplets: concatTriplets([m222, m211, m122]),
    stats: { v2v2v2: m222.stats, v2v1v1: m211.stats, v1v2v2: m122.stats },
  };
}
