/**
 * Vector maths for face embeddings. FaceNet compares faces by the squared L2 distance between unit vectors,
 * D(a, b) = ||a - b||^2 = 2 - 2·cos(a, b), which lies in 0..4. Every distance in this product (API, CLI, UI,
 * thresholds) is that number, so there is exactly one place that computes it.
 *
 * Sums are accumulated in float64 even for Float32Array inputs so that results do not depend on the storage
 * type of the caller's vectors.
 */

/** Anything indexable with numbers: number[], Float32Array, Float64Array, or a subarray view. */
export type Vector = ArrayLike<number>;

function assertSameLength(a: Vector, b: Vector): void {
  if (a.length !== b.length) throw new RangeError(`vector lengths differ: ${a.length} vs ${b.length}`);
}

/** Inner product. */
export function dot(a: Vector, b: Vector): number {
  assertSameLength(a, b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Euclidean norm. */
export function l2Norm(a: Vector): number {
  return Math.sqrt(dot(a, a));
}

/** Cosine of the angle between a and b (vectors of any length); 0 when either has no direction. */
export function cosineSimilarity(a: Vector, b: Vector): number {
  const na = l2Norm(a);
  const nb = l2Norm(b);
  return na > 0 && nb > 0 ? dot(a, b) / (na * nb) : 0;
}

/**
 * A new Float32Array with the direction of `a` and unit length. A zero (or non-finite) vector has no
 * direction; it is an upstream bug (a failed embedding), so this throws rather than inventing one.
 */
export function l2Normalize(a: Vector): Float32Array {
  const n = l2Norm(a);
  if (!(n > 0) || !Number.isFinite(n)) throw new RangeError('cannot normalise a zero or non-finite vector');
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) / n;
  return out;
}

/**
 * FaceNet's distance: the squared Euclidean distance ||a - b||^2, computed directly from the differences (not
 * as 2 - 2·dot) so it is exact for vectors that are only approximately unit length. For unit vectors it is
 * in 0..4; 0 = identical, 2 = orthogonal, 4 = opposite.
 */
export function squaredL2(a: Vector, b: Vector): number {
  assertSameLength(a, b);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const t = (a[i] as number) - (b[i] as number);
    s += t * t;
  }
  return s;
}

/**
 * The same distance for vectors already known to be unit length, from their inner product: 2 - 2·dot,
 * clamped to 0..4 (rounding can step slightly outside). Cheaper in inner loops that already have the dot.
 */
export function unitDistanceFromDot(d: number): number {
  const v = 2 - 2 * d;
  return v < 0 ? 0 : v > 4 ? 4 : v;
}

/**
 * Combine several embeddings of the same face (for example from two different embedders) into one unit
 * vector: normalise each part, concatenate, normalise the result. Normalising each part first gives every
 * embedder the same weight whatever its output scale; the final normalisation makes the squared L2 distance
 * of the concatenation equal to the mean of the parts' distances (each part contributes 1/m of the length),
 * so it stays in 0..4 and thresholds keep their meaning. Optional weights scale each unit part before the
 * final normalisation (a weight w gives that part's distance a share of w^2 / sum(w^2)).
 */
export function concatNormalized(parts: readonly Vector[], weights?: readonly number[]): Float32Array {
  if (parts.length === 0) throw new RangeError('nothing to concatenate');
  if (weights && weights.length !== parts.length) throw new RangeError('one weight per part');
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Float32Array(total);
  let offset = 0;
  let sumSq = 0;
  parts.forEach((p, k) => {
    const w = weights ? (weights[k] as number) : 1;
    const n = l2Norm(p);
    if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`part ${k} is a zero or non-finite vector`);
    for (let i = 0; i < p.length; i++) out[offset + i] = ((p[i] as number) / n) * w;
    offset += p.length;
    sumSq += w * w;
  });
  const scale = 1 / Math.sqrt(sumSq);
  for (let i = 0; i < total; i++) out[i] = (out[i] as number) * scale;
  return out;
}
