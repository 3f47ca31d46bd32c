/**
 * Before/after figures for a tuning run on held-out labelled faces (faces the run did not train on):
 *  - VAL at FAR 1e-3 over all held-out pairs, for the old layer, the new layer and (for harmonic runs)
 *    across versions (face i embedded by the old layer, face j by the new one);
 *  - "how many faces would change person": each held-out face is assigned the label of its nearest
 *    labelled reference face (nearest labelled neighbour, squared L2), once with each layer; the count of
 *    faces whose assignment differs, split into fixed (wrong -> right), broken (right -> wrong) and other.
 */
import type { EmbeddingLayer } from './embedding-layer.js';
import { encodeLabels, packFeatures, type FeatureMatrix } from './features.js';
import { unitDistanceMatrix } from './linalg.js';
import { pairDistances, valAtFarSorted } from './metrics.js';

export interface LabelledFeatures {
  features: readonly ArrayLike<number>[] | FeatureMatrix;
  labels: readonly (string | number)[];
}

export interface LayerFigures {
  valAtFar: number;
  /** Share of held-out faces whose nearest labelled neighbour has the right label. */
  nearestNeighbourAccuracy: number;
}

export interface TuningEvaluation {
  targetFar: number;
  heldOutFaces: number;
  samePairs: number;
  differentPairs: number;
  before: LayerFigures;
  after: LayerFigures;
  /** VAL at FAR with one face of each pair embedded by `before` and the other by `after`. */
  crossVersionValAtFar: number;
  /** Held-out faces whose nearest-labelled-neighbour person differs between the layers. */
  changedPerson: number;
  /** ... of which now right and previously wrong. */
  fixed: number;
  /** ... of which now wrong and previously right. */
  broken: number;
}

/** Nearest-labelled-neighbour assignment: for each query row, the label id of the closest reference row. */
export function nearestLabelled(
  query: Float64Array,
  reference: Float64Array,
  refLabels: Int32Array,
  d: number,
): Int32Array {
  const nq = query.length / d;
  const nr = refLabels.length;
  const dist = unitDistanceMatrix(query, nq, reference, nr, d);
  const out = new Int32Array(nq);
  for (let i = 0; i < nq; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < nr; j++) {
      const v = dist[i * nr + j] as number;
      if (v < bestD) {
        bestD = v;
        best = j;
      }
    }
    out[i] = best >= 0 ? (refLabels[best] as number) : -1;
  }
  return out;
}

/**
 * Compares two layers on held-out faces. `reference` is the labelled set the assignment is made against
 * (normally the faces the run trained on: the user's confirmed labels).
 */
export function evaluateTuning(
  before: EmbeddingLayer,
  after: EmbeddingLayer,
  heldOut: LabelledFeatures,
  reference: LabelledFeatures,
  targetFar = 1e-3,
): TuningEvaluation {
  const held = packFeatures(heldOut.features);
  const ref = packFeatures(reference.features);
  // One label space for both sets so ids compare across them.
  const { ids } = encodeLabels([...heldOut.labels, ...reference.labels]);
  const heldIds = ids.subarray(0, held.rows);
  const refIds = ids.subarray(held.rows);
  const d = before.outDim;
  if (after.outDim !== d) throw new RangeError('layers differ in output dimension');
  const hb = before.forward(held).u;
  const ha = after.forward(held).u;
  const pb = pairDistances(hb, hb, heldIds, d);
  const pa = pairDistances(ha, ha, heldIds, d);
  const cross = pairDistances(hb, ha, heldIds, d);
  const nb = nearestLabelled(hb, before.forward(ref).u, refIds, d);
  const na = nearestLabelled(ha, after.forward(ref).u, refIds, d);
  let changed = 0;
  let fixed = 0;
  let broken = 0;
  let rightBefore = 0;
  let rightAfter = 0;
  for (let i = 0; i < held.rows; i++) {
    const truth = heldIds[i];
    const b = nb[i] === truth;
    const a = na[i] === truth;
    if (b) rightBefore++;
    if (a) rightAfter++;
    if (nb[i] !== na[i]) {
      changed++;
      if (a && !b) fixed++;
      if (b && !a) broken++;
    }
  }
  const n = Math.max(1, held.rows);
  return {
    targetFar,
    heldOutFaces: held.rows,
    samePairs: pa.same.length,
    differentPairs: pa.different.length,
    before: { valAtFar: valAtFarSorted(pb, targetFar), nearestNeighbourAccuracy: rightBefore / n },
    after: { valAtFar: valAtFarSorted(pa, targetFar), nearestNeighbourAccuracy: rightAfter / n },
    crossVersionValAtFar: valAtFarSorted(cross, targetFar),
    changedPerson: changed,
    fixed,
    broken,
  };
}
