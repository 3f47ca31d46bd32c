/**
 * FaceNet's triplet loss (section 3.1) on unit embeddings, with analytic gradients back to the embedding
 * layer's W and b:
 *
 *   L = sum_i max(0, ||u_a - u_p||^2 - ||u_a - u_n||^2 + alpha),   alpha = 0.2 by default.
 *
 * For an active triplet (positive hinge) the gradients w.r.t. the unit embeddings are
 *   dL/du_a = 2 (u_n - u_p),   dL/du_p = 2 (u_p - u_a),   dL/du_n = 2 (u_a - u_n).
 * Through the normalisation u = z / ||z||:  dL/dz = (I - u u^T) dL/du / ||z||, and through z = x·W + b:
 * dL/dW = X^T · dL/dZ,  dL/db = sum over rows of dL/dZ.
 *
 * A triplet's three indices point into one table of embeddings. In plain training that is the batch; in
 * harmonic mode it is the batch embedded by v2 followed by the batch embedded by the fixed v1, and only the
 * v2 rows pass their gradient on to the layer (see harmonic.ts).
 */
import type { EmbeddingLayer, LayerForward } from './embedding-layer.js';
import type { FeatureMatrix } from './features.js';
import { addMatmulTransposedA } from './linalg.js';

export const DEFAULT_ALPHA = 0.2;

/** Triplets as three parallel index arrays into an embedding table. */
export interface Triplets {
  anchor: Int32Array;
  positive: Int32Array;
  negative: Int32Array;
}

export function tripletCount(t: Triplets): number {
  return t.anchor.length;
}

export interface TripletLossResult {
  /** Sum of the hinge over all triplets (the paper's L). */
  loss: number;
  /** Triplets with a positive hinge (the only ones that produce gradient). */
  active: number;
  /** dL/du for every row of the table (rows x d); zero rows for embeddings in no active triplet. */
  gradU: Float64Array;
}

/** The loss and its gradient w.r.t. the unit embeddings `u` (rows x d). Distances are computed from differences. */
export function tripletLoss(u: Float64Array, d: number, triplets: Triplets, alpha = DEFAULT_ALPHA): TripletLossResult {
  const gradU = new Float64Array(u.length);
  let loss = 0;
  let active = 0;
  const { anchor, positive, negative } = triplets;
  for (let t = 0; t < anchor.length; t++) {
    const a = (anchor[t] as number) * d;
    const p = (positive[t] as number) * d;
    const n = (negative[t] as number) * d;
    let dap = 0;
    let dan = 0;
    for (let j = 0; j < d; j++) {
      const ua = u[a + j] as number;
      const x = ua - (u[p + j] as number);
      const y = ua - (u[n + j] as number);
      dap += x * x;
      dan += y * y;
    }
    const h = dap - dan + alpha;
    if (h <= 0) continue;
    loss += h;
    active++;
    for (let j = 0; j < d; j++) {
      const ua = u[a + j] as number;
      const up = u[p + j] as number;
      const un = u[n + j] as number;
      gradU[a + j] = (gradU[a + j] as number) + 2 * (un - up);
      gradU[p + j] = (gradU[p + j] as number) + 2 * (up - ua);
      gradU[n + j] = (gradU[n + j] as number) + 2 * (ua - un);
    }
  }
  return { loss, active, gradU };
}

/**
 * Back through the L2 normalisation for the first `rows` rows: dL/dz = (g - u (u·g)) / ||z||.
 * `gradU` may have more rows than `fwd` (harmonic tables); the extra rows are ignored.
 */
export function normalizeBackward(fwd: LayerForward, gradU: Float64Array, d: number): Float64Array {
  const { rows, u, norms } = fwd;
  const gradZ = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    const o = i * d;
    let ug = 0;
    for (let j = 0; j < d; j++) ug += (u[o + j] as number) * (gradU[o + j] as number);
    const inv = 1 / (norms[i] as number);
    for (let j = 0; j < d; j++) gradZ[o + j] = ((gradU[o + j] as number) - (u[o + j] as number) * ug) * inv;
  }
  return gradZ;
}

export interface LayerGradients {
  /** dL/dW, inDim x outDim. */
  weights: Float64Array;
  /** dL/db, outDim. */
  bias: Float64Array;
}

/** Back through z = x·W + b: dW = X^T dZ, db = column sums of dZ. */
export function linearBackward(x: FeatureMatrix, gradZ: Float64Array, outDim: number): LayerGradients {
  const weights = new Float64Array(x.cols * outDim);
  addMatmulTransposedA(x.data, x.rows, x.cols, gradZ, outDim, weights);
  const bias = new Float64Array(outDim);
  for (let i = 0; i < x.rows; i++)
    for (let j = 0; j < outDim; j++) bias[j] = (bias[j] as number) + (gradZ[i * outDim + j] as number);
  return { weights, bias };
}

/**
 * The whole path for one batch with triplets indexing the batch: forward, loss, gradients w.r.t. W and b.
 * Uses whatever precision the layer and features are stored in for the products (float64 intermediates).
 */
export function tripletLossAndGradients(
  layer: EmbeddingLayer,
  x: FeatureMatrix,
  triplets: Triplets,
  alpha = DEFAULT_ALPHA,
): { loss: number; active: number; grad: LayerGradients } {
  const fwd = layer.forward(x);
  const { loss, active, gradU } = tripletLoss(fwd.u, layer.outDim, triplets, alpha);
  const gradZ = normalizeBackward(fwd, gradU, layer.outDim);
  return { loss, active, grad: linearBackward(x, gradZ, layer.outDim) };
}
