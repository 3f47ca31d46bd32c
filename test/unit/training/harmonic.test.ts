import { describe, expect, it } from 'vitest';
import { EmbeddingLayer } from '../../../training/embedding-layer.js';
import type { FeatureMatrix } from '../../../training/features.js';
import { mineHarmonic } from '../../../training/harmonic.js';
import { pairDistances, rocAucSorted } from '../../../training/metrics.js';
import { Rng } from '../../../src-shared/random.js';
import { EmbeddingTuner } from '../../../training/trainer.js';
import { splitPerIdentity, syntheticFaces } from '../../helpers/synthetic-features.js';

const { train, test } = splitPerIdentity(
  syntheticFaces({
    identities: 40,
    facesPerIdentity: 24,
    dim: 128,
    identityDims: 12,
    nuisanceDims: 24,
    nuisance: 1,
    seed: 5,
  }),
  24,
  16,
);
const { features: trainX, labels: trainY } = train;
const testX = test.features;
const testY = Int32Array.from(test.labels);

/** ROC AUC of held-out pairs with face i embedded by `a` and face j by `b`. */
function auc(a: EmbeddingLayer, b: EmbeddingLayer, x: FeatureMatrix = testX): number {
  return rocAucSorted(pairDistances(a.forward(x).u, b.forward(x).u, testY, a.outDim));
}

describe('harmonic mode', () => {
  it('mines the documented mix: v2v2v2, v2 anchors with v1 others, v1 anchors with v2 others', () => {
    const n = 6;
    const rng = new Rng(1);
    const unit = () => {
      const v = Float64Array.from({ length: 4 }, () => rng.normal());
      const s = Math.hypot(...v);
      return v.map((x) => x / s);
    };
    const u2 = new Float64Array(n * 4);
    const u1 = new Float64Array(n * 4);
    for (let i = 0; i < n; i++) {
      u2.set(unit(), i * 4);
      u1.set(unit(), i * 4);
    }
    const batchLabels = Int32Array.from([0, 0, 1, 1, 2, 2]);
    // Margin 4 (the whole sphere): every pair gets a semi-hard negative or the least-hard fallback.
    const h = mineHarmonic(u2, u1, batchLabels, 4, rng, { alpha: 4 });
    expect(h.table.length).toBe(2 * n * 4);
    expect(Array.from(h.table.subarray(0, n * 4))).toEqual(Array.from(u2));
    expect(Array.from(h.table.subarray(n * 4))).toEqual(Array.from(u1));
    // Within v2: the 6 ordered pairs of different faces. Across versions also each face with itself (12).
    const pairs = { v2v2v2: 6, v2v1v1: 12, v1v2v2: 12 };
    for (const k of ['v2v2v2', 'v2v1v1', 'v1v2v2'] as const) {
      expect(h.stats[k].pairs).toBe(pairs[k]);
      expect(h.stats[k].semiHard + h.stats[k].fallback).toBe(pairs[k]);
    }
    const kinds = Array.from(h.triplets.anchor, (a, i) =>
      [a, h.triplets.positive[i] as number, h.triplets.negative[i] as number].map((x) => (x < n ? 2 : 1)).join(''),
    );
    expect(kinds).toEqual([...Array(6).fill('222'), ...Array(12).fill('211'), ...Array(12).fill('122')]);
    for (let i = 0; i < kinds.length; i++) {
      const [a, p, ng] = [h.triplets.anchor[i], h.triplets.positive[i], h.triplets.negative[i]].map(
        (x) => (x as number) % n,
      );
      expect(batchLabels[a as number]).toBe(batchLabels[p as number]);
      expect(batchLabels[a as number]).not.toBe(batchLabels[ng as number]);
      // A face is its own positive only across versions.
      if (kinds[i] === '222') expect(a).not.toBe(p);
    }
    const selfPairs = kinds.filter((k, i) => k !== '222' && h.triplets.anchor[i]! % n === h.triplets.positive[i]! % n);
    expect(selfPairs.length).toBe(2 * n);
  });

  it('keeps v2 comparable with v1: cross-version pairs separate people as well as v1-v1, unlike a plain run', () => {
    const v1 = EmbeddingLayer.random(128, 64, 11, 'v1');
    // v2 starts from an unrelated initialisation (a new model), so compatibility has to be learnt.
    const init = EmbeddingLayer.random(128, 64, 12, 'v2-init');
    const options = { batchSize: 160, facesPerIdentity: 16, seed: 3, maxEpochs: 12, reference: v1 };
    const plain = new EmbeddingTuner(init, { ...options, maxEpochs: 6 }).fit(trainX, trainY).layer;
    const harmonic = new EmbeddingTuner(init, { ...options, harmonic: true }).fit(trainX, trainY).layer;
    const v1v1 = auc(v1, v1);
    const crossHarmonic = auc(v1, harmonic);
    const crossPlain = auc(v1, plain);
    console.log(
      `held-out ROC AUC: v1-v1 ${v1v1.toFixed(3)}, v1-v2 harmonic ${crossHarmonic.toFixed(3)}, v1-v2 plain ${crossPlain.toFixed(3)}, v2-v2 harmonic ${auc(harmonic, harmonic).toFixed(3)}, v2-v2 plain ${auc(plain, plain).toFixed(3)}`,
    );
    expect(v1v1).toBeGreaterThan(0.7); // v1 is a usable but imperfect model
    expect(crossHarmonic).toBeGreaterThan(v1v1 - 0.02);
    expect(crossPlain).toBeLessThan(0.65); // without harmonic training the versions do not mix
    expect(auc(harmonic, harmonic)).toBeGreaterThan(v1v1); // and v2 is still better on its own
  });
});
