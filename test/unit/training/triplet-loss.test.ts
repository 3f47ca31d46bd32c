import { describe, expect, it } from 'vitest';
import { EmbeddingLayer } from '../../../training/embedding-layer.js';
import type { FeatureMatrix } from '../../../training/features.js';
import { Rng } from '../../../src-shared/random.js';
import { tripletLoss, tripletLossAndGradients, type Triplets } from '../../../training/triplet-loss.js';

function randomFeatures(rows: number, cols: number, seed: number): FeatureMatrix {
  const rng = new Rng(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { data, rows, cols };
}

function lossOnly(layer: EmbeddingLayer, x: FeatureMatrix, t: Triplets, alpha: number): number {
  return tripletLoss(layer.forward(x).u, layer.outDim, t, alpha).loss;
}

describe('triplet loss', () => {
  it('is the FaceNet hinge on squared L2 distances between unit vectors', () => {
    // Three 2-D unit vectors: a = (1,0), p = (0,1), n = (-1,0): D(a,p) = 2, D(a,n) = 4.
    const u = Float64Array.from([1, 0, 0, 1, -1, 0]);
    const t = (a: number, p: number, n: number): Triplets => ({
      anchor: Int32Array.of(a),
      positive: Int32Array.of(p),
      negative: Int32Array.of(n),
    });
    expect(tripletLoss(u, 2, t(0, 1, 2), 0.2).loss).toBe(0); // 2 - 4 + 0.2 < 0
    expect(tripletLoss(u, 2, t(0, 2, 1), 0.2).loss).toBeCloseTo(4 - 2 + 0.2, 12);
    const r = tripletLoss(u, 2, t(0, 2, 1), 0.2);
    expect(r.active).toBe(1);
    // dL/du_a = 2(u_n - u_p) = 2((0,1) - (-1,0)) = (2, 2)
    expect(Array.from(r.gradU.subarray(0, 2))).toEqual([2, 2]);
  });

  it('has analytic gradients w.r.t. W and b that match central finite differences (float64)', () => {
    const inDim = 12;
    const outDim = 5;
    const x = randomFeatures(8, inDim, 3);
    const rng = new Rng(9);
    const w = new Float64Array(inDim * outDim).map(() => rng.normal());
    const b = new Float64Array(outDim).map(() => rng.normal() * 0.5);
    const layer = new EmbeddingLayer({ inDim, outDim, weights: w, bias: b });
    // Many triplets, some sharing rows, with a large margin so most are active (a few may not be).
    const triplets: Triplets = {
      anchor: Int32Array.from([0, 0, 1, 2, 3, 4, 5, 6, 7, 2]),
      positive: Int32Array.from([1, 2, 0, 3, 2, 5, 4, 7, 6, 1]),
      negative: Int32Array.from([4, 5, 6, 7, 0, 1, 2, 3, 4, 0]),
    };
    const alpha = 1.0;
    const { loss, active, grad } = tripletLossAndGradients(layer, x, triplets, alpha);
    expect(active).toBeGreaterThan(3);
    expect(loss).toBeGreaterThan(0);
    const h = 1e-6;
    let maxRel = 0;
    const check = (params: Float64Array, analytic: Float64Array) => {
      for (let i = 0; i < params.length; i++) {
        const keep = params[i] as number;
        params[i] = keep + h;
        const up = lossOnly(layer, x, triplets, alpha);
        params[i] = keep - h;
        const down = lossOnly(layer, x, triplets, alpha);
        params[i] = keep;
        const numeric = (up - down) / (2 * h);
        const a = analytic[i] as number;
        const rel = Math.abs(numeric - a) / Math.max(1e-4, Math.abs(numeric) + Math.abs(a));
        maxRel = Math.max(maxRel, rel);
      }
    };
    check(w, grad.weights);
    check(b, grad.bias);
    expect(maxRel).toBeLessThan(1e-6);
    // And the gradient is not trivially zero.
    expect(grad.weights.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });

  it('gives no gradient when every triplet satisfies the margin', () => {
    const u = Float64Array.from([1, 0, 0.99, Math.sqrt(1 - 0.99 ** 2), -1, 0]);
    const r = tripletLoss(u, 2, { anchor: Int32Array.of(0), positive: Int32Array.of(1), negative: Int32Array.of(2) });
    expect(r.loss).toBe(0);
    expect(r.gradU.every((v) => v === 0)).toBe(true);
  });
});
