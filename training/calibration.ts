/**
 * Distance-scale calibration: keeps the user's thresholds meaningful when a tuned layer replaces the old one.
 *
 * Why: the triplet loss rewards spreading the embeddings over more of the sphere (every distance grows, so
 * every margin is easier to meet). A tuned layer that separates people better therefore also reports larger
 * distances for everyone: after a few epochs the same person is ~20% farther apart, and the clustering
 * threshold (an absolute squared-L2 distance) splits people who were together before. Measured on
 * celeba-people (test/bench/tune-protocol.bench.ts): held-out BCubed F at the default threshold fell from
 * 0.91 to 0.48 although VAL at FAR 1e-3 improved.
 *
 * How: the layer's output is normalize(x·W + b), so adding a common vector to b pulls every embedding toward
 * that direction and shrinks all distances (a negative multiple spreads them, down to removing the shared
 * direction altogether). We add beta · (mean output direction) · (mean output norm) to b and pick beta by bisection so that the tuned layer accepts as many
 * different-person pairs of the labelled faces at the threshold as the reference (old) layer does: the same
 * false-accept rate at the threshold the user clusters with. When fewer than MIN_PAIRS different-person pairs
 * fall under the threshold (small label sets), the distance of the MIN_PAIRS-th closest different-person pair
 * is matched instead, which is the same rule with a usable sample. VAL at any FAR is unaffected to first order
 * (the calibration is nearly monotone in distance); the benchmark measures it.
 */
import { EmbeddingLayer } from './embedding-layer.js';
import { encodeLabels, packFeatures, selectRows, type FeatureMatrix } from './features.js';
import { pairDistances } from './metrics.js';
import { Rng } from '../src-shared/random.js';

/** Different-person pairs the matched quantile rests on, at least. */
export const MIN_PAIRS = 20;
/** Faces sampled for calibration (pairs grow with the square; 1,500 faces give ~1.1M pairs). */
export const MAX_CALIBRATION_FACES = 1500;
/** Most shrinking: beta is in units of the mean output norm, so 8 nearly collapses any layer. */
const MAX_BETA = 8;
const BISECTION_STEPS = 30;

export interface CalibrationResult {
  layer: EmbeddingLayer;
  /** The multiple of the mean output added to the bias (0: unchanged). */
  beta: number;
  /** The matched distance (the reference layer's k-th closest different-person pair) and k. */
  targetDistance: number;
  rank: number;
  /** The tuned layer's k-th closest different-person distance before and after calibration. */
  before: number;
  after: number;
}

/**
 * Calibrates `layer` against `reference` at squared-L2 `threshold` on labelled faces (normally the labels
 * it was trained on). Returns the layer unchanged (beta 0) when the faces have no different-person pair.
 */
export function calibrateDistanceScale(
  layer: EmbeddingLayer,
  reference: EmbeddingLayer,
  features: readonly ArrayLike<number>[] | FeatureMatrix,
  labels: readonly (string | number)[],
  threshold: number,
  seed = 1,
): CalibrationResult {
  let x = packFeatures(features);
  let { ids } = encodeLabels(labels);
  if (x.rows > MAX_CALIBRATION_FACES) {
    const rows = new Rng(seed).shuffle(Array.from({ length: x.rows }, (_, i) => i)).slice(0, MAX_CALIBRATION_FACES);
    x = selectRows(x, rows);
    ids = Int32Array.from(rows, (r) => ids[r] as number);
  }
  const sortedDifferent = (l: EmbeddingLayer) => {
    const u = l.forward(x).u;
    return Float64Array.from(pairDistances(u, u, ids, l.outDim).different).sort();
  };
  const ref = sortedDifferent(reference);
  const unchanged = { layer, beta: 0, targetDistance: NaN, rank: 0, before: NaN, after: NaN };
  if (ref.length === 0) return unchanged;
  let below = 0;
  while (below < ref.length && (ref[below] as number) < threshold) below++;
  const rank = Math.min(Math.max(below, MIN_PAIRS), ref.length);
  const target = ref[rank - 1] as number;
  const kth = (l: EmbeddingLayer) => sortedDifferent(l)[rank - 1] as number;

  // The k-th closest different pair shrinks as beta grows: bisect for the beta that puts it at the target.
  const family = meanShift(layer, x);
  if (!family) return unchanged;
  const before = kth(layer);
  const beta = bisectDecreasing((b) => kth(family.shifted(b)), target, family.lowest);
  const calibrated = family.shifted(beta);
  return { layer: calibrated, beta, targetDistance: target, rank, before, after: kth(calibrated) };
}

/**
 * The layers normalize(x·W + b + beta · meanNorm · m) for the mean unit output m (direction m̂, length R)
 * and mean output norm of `layer` on x. The shared component of every output becomes (R + beta) · m̂:
 * beta = -R (`lowest`) removes it, the most spread this family reaches (below it the outputs gather again on
 * the opposite side); growing beta shrinks every distance. Null when the outputs have no mean direction.
 */
export function meanShift(
  layer: EmbeddingLayer,
  x: FeatureMatrix,
): { lowest: number; shifted: (beta: number) => EmbeddingLayer } | null {
  const fw = layer.forward(x);
  const d = layer.outDim;
  const mean = sumOfRows(fw.u, fw.rows, d);
  let meanNorm = 0;
  for (let i = 0; i < fw.rows; i++) meanNorm += (fw.norms[i] as number) / fw.rows;
  const length = Math.hypot(...mean);
  if (!(length > 0)) return null;
  return {
    lowest: -length / fw.rows,
    shifted: (beta) =>
      new EmbeddingLayer({
        inDim: layer.inDim,
        outDim: d,
        weights: layer.weights,
        // Keeps the bias's precision (float64 while training, float32 in a stored layer).
        bias: layer.bias.map((b, j) => b + (beta * meanNorm * (mean[j] as number)) / length),
        id: layer.id,
      }),
  };
}

/** Mean resultant length of a layer's unit outputs on x: 1 - R^2 is half the mean squared distance of all pairs. */
export function concentration(layer: EmbeddingLayer, x: FeatureMatrix): number {
  const { u, rows } = layer.forward(x);
  return Math.hypot(...sumOfRows(u, rows, layer.outDim)) / Math.max(1, rows);
}

function sumOfRows(u: Float64Array, rows: number, d: number): Float64Array {
  const sum = new Float64Array(d);
  for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) sum[j] = (sum[j] as number) + (u[i * d + j] as number);
  return sum;
}

/**
 * The layer of the mean-shift family whose concentration on x is `target`: same overall spread as the layer
 * that had it, so distances stay on one scale while training changes the directions (harmonic mode).
 */
export function matchConcentration(layer: EmbeddingLayer, x: FeatureMatrix, target: number): EmbeddingLayer {
  const family = meanShift(layer, x);
  if (!family) return layer;
  // Concentration grows with beta: bisect on its negation, which decreases.
  return family.shifted(bisectDecreasing((b) => -concentration(family.shifted(b), x), -target, family.lowest));
}

/** The beta in [lo, MAX_BETA] where a decreasing f crosses target (an end when it never does). */
function bisectDecreasing(f: (beta: number) => number, target: number, lo: number): number {
  let hi = MAX_BETA;
  if (f(lo) <= target) return lo;
  if (f(hi) >= target) return hi;
  for (let step = 0; step < BISECTION_STEPS && hi - lo > 1e-4; step++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
