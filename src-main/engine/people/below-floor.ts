/**
 * Faces below the quality floor, attached after the grouping (FaceClusterer's `belowFloor: 'attach'`).
 *
 * A blurry, tiny or profile face takes no part in the agglomeration: its distances are unreliable and it
 * could chain two people together. But most such faces still sit clearly inside one person's group, and
 * leaving every one of them in Unsorted costs the user a click each. So, once the groups are final, each face
 * below the floor joins the group it would have joined as a single face (the same value the agglomeration
 * judges a single face by: the mean squared L2 to the group's members, less the group's spread credit),
 * when that value is within the threshold. Attaching never links anything else: a face below the floor is
 * never a bridge between groups, and never starts a group.
 *
 * The user's decisions still hold: a named person is measured by its confirmed faces alone (as in the
 * agglomeration), a face is never attached to a group holding a face it is cannot-linked to (same photo,
 * "not this person", the user's own cannot-links), and two faces below the floor from one photo never join
 * the same group. Faces are attached in canonical order, so the result is deterministic.
 */
import { adaptiveValue, type AdaptiveCriterion } from './agglomeration.js';
import type { PreparedConstraints } from './constraints.js';
import type { PackedFaces } from './faces.js';
import { BruteForceKnn } from './knn.js';

/** A finished group the faces below the floor may join. */
export interface AttachTarget {
  /** Rows (of the packed faces) in the group. */
  rows: readonly number[];
  /** Rows the group is measured by: its anchor (the user's confirmed faces) if it has one, else `rows`. */
  measuredBy: readonly number[];
  /** Whether `measuredBy` is an anchor: judged by plain average linkage, as the agglomeration does. */
  anchored: boolean;
}

export interface BelowFloorProblem {
  faces: PackedFaces;
  /** Rows below the floor, in canonical order. */
  below: readonly number[];
  targets: readonly AttachTarget[];
  /** Constraints prepared over every face (`faces`), below the floor or not. */
  constraints: Pick<PreparedConstraints, 'root' | 'cannot'>;
  threshold: number;
  adaptive?: AdaptiveCriterion;
}

/** Groups each face below the floor is compared with, nearest first (by mean distance to the members). */
const CANDIDATES = 8;

/** The target index each row of `below` joins, or -1 when none is within the threshold (it stays unsorted). */
export function attachBelowFloor(p: BelowFloorProblem): Int32Array {
  const { faces, below, targets } = p;
  const dim = faces.dim;
  const out = new Int32Array(below.length).fill(-1);
  if (below.length === 0 || targets.length === 0) return out;

  // Mean vector of each target's measured members: for unit vectors, 2 - 2·(x · mean) is x's mean squared
  // L2 to the members, and 1 - |mean|^2 the members' mean squared distance to their centroid (the spread).
  const means = new Float32Array(targets.length * dim);
  const spread = new Float64Array(targets.length);
  targets.forEach((t, g) => {
    const m = new Float64Array(dim);
    for (const r of t.measuredBy)
      for (let d = 0; d < dim; d++) m[d]! += faces.vectors[r * dim + d]! / t.measuredBy.length;
    let sq = 0;
    for (let d = 0; d < dim; d++) {
      means[g * dim + d] = m[d]!;
      sq += m[d]! * m[d]!;
    }
    spread[g] = Math.max(0, 1 - sq);
  });
  const queries = new Float32Array(below.length * dim);
  below.forEach((r, i) => queries.set(faces.vectors.subarray(r * dim, (r + 1) * dim), i * dim));
  const nearest = new BruteForceKnn({ k: CANDIDATES }).query(means, queries, dim);

  // Roots each face cannot share a group with, and the roots present in each target (grown as faces attach).
  const { root, cannot } = p.constraints;
  const cannotOf = new Map<number, number[]>();
  for (const [a, b] of cannot) {
    (cannotOf.get(a) ?? cannotOf.set(a, []).get(a)!).push(b);
    (cannotOf.get(b) ?? cannotOf.set(b, []).get(b)!).push(a);
  }
  const rootsIn = targets.map((t) => new Set(t.rows.map((r) => root[r]!)));

  below.forEach((r, i) => {
    const forbidden = cannotOf.get(root[r]!) ?? [];
    // The agglomeration's value for this one face joining each candidate; lowest first, ties by group.
    const candidates: Array<[value: number, group: number]> = [];
    for (let c = 0; c < nearest.counts[i]!; c++) {
      const g = nearest.indices[i * nearest.k + c]!;
      const t = targets[g]!;
      const meanDistance = nearest.distances[i * nearest.k + c]!;
      const value =
        t.anchored || !p.adaptive
          ? meanDistance
          : adaptiveValue(p.adaptive, meanDistance, 0, spread[g]!, 1, t.measuredBy.length);
      if (value <= p.threshold) candidates.push([value, g]);
    }
    candidates.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const chosen = candidates.find(([, g]) => !forbidden.some((x) => rootsIn[g]!.has(x)));
    if (chosen === undefined) return;
    out[i] = chosen[1];
    rootsIn[chosen[1]]!.add(root[r]!);
  });
  return out;
}
