import { describe, expect, it } from 'vitest';
import { calibrateDistanceScale, concentration, matchConcentration, MIN_PAIRS } from '../../../training/calibration.js';
import { EmbeddingLayer } from '../../../training/embedding-layer.js';
import { encodeLabels, type FeatureMatrix } from '../../../training/features.js';
import { pairDistances, valAtFarSorted } from '../../../training/metrics.js';
import { EmbeddingTuner } from '../../../training/trainer.js';
import { syntheticFaces } from '../../helpers/synthetic-features.js';

const { features, labels } = syntheticFaces({ identities: 30, facesPerIdentity: 12, dim: 64, seed: 9 });
const { ids } = encodeLabels(labels);

/** A layer whose embeddings sit in a narrow cone around a shared direction (like the shipped dlib layer). */
function coneLayer(seed: number, concentration: number): EmbeddingLayer {
  const base = EmbeddingLayer.random(64, 32, seed, `cone-${seed}`);
  const probe = base.forward(features);
  let meanNorm = 0;
  for (let i = 0; i < probe.rows; i++) meanNorm += (probe.norms[i] as number) / probe.rows;
  const bias = new Float32Array(32);
  bias[0] = concentration * meanNorm;
  return new EmbeddingLayer({ inDim: 64, outDim: 32, weights: base.weights, bias, id: base.id });
}

function differentPairsBelow(layer: EmbeddingLayer, x: FeatureMatrix, threshold: number): number {
  const u = layer.forward(x).u;
  return pairDistances(u, u, ids, layer.outDim).different.filter((d) => d < threshold).length;
}

describe('calibrateDistanceScale', () => {
  const reference = coneLayer(1, 2);
  const threshold = 0.3;
  const targetCount = differentPairsBelow(reference, features, threshold);

  it('the reference accepts enough different-person pairs at the threshold for the rule to apply', () => {
    expect(targetCount).toBeGreaterThan(MIN_PAIRS);
  });

  it('shrinks a spread-out layer until it accepts as many different-person pairs at the threshold', () => {
    const spread = coneLayer(1, 0.5); // same weights, weaker shared direction: every distance larger
    expect(differentPairsBelow(spread, features, threshold)).toBeLessThan(targetCount / 2);
    const r = calibrateDistanceScale(spread, reference, features, labels, threshold);
    expect(r.beta).toBeGreaterThan(0);
    expect(r.rank).toBe(targetCount);
    expect(Math.abs(differentPairsBelow(r.layer, features, threshold) - targetCount)).toBeLessThanOrEqual(
      Math.max(2, targetCount * 0.05),
    );
    // Only the bias moves; the weights are the same array.
    expect(r.layer.weights).toBe(spread.weights);
  });

  it('spreads a compressed layer (negative beta)', () => {
    const tight = coneLayer(1, 4);
    expect(differentPairsBelow(tight, features, threshold)).toBeGreaterThan(targetCount * 2);
    const r = calibrateDistanceScale(tight, reference, features, labels, threshold);
    expect(r.beta).toBeLessThan(0);
    // Exact up to the pairs that fall between the matched pair's distance and the threshold.
    expect(Math.abs(differentPairsBelow(r.layer, features, threshold) - targetCount)).toBeLessThanOrEqual(
      Math.max(2, targetCount * 0.05),
    );
  });

  it('keeps verification accuracy: VAL at FAR 1e-2 moves by at most a few pairs', () => {
    const spread = coneLayer(1, 0.5);
    const val = (l: EmbeddingLayer) => {
      const u = l.forward(features).u;
      return valAtFarSorted(pairDistances(u, u, ids, 32), 1e-2);
    };
    const r = calibrateDistanceScale(spread, reference, features, labels, threshold);
    expect(Math.abs(val(r.layer) - val(spread))).toBeLessThan(0.03);
  });

  it('matches the MIN_PAIRS-th closest different pair when too few fall under the threshold', () => {
    const spread = coneLayer(1, 0.5);
    const r = calibrateDistanceScale(spread, reference, features, labels, 0.01);
    expect(r.rank).toBe(MIN_PAIRS);
    expect(r.after).toBeCloseTo(r.targetDistance, 3);
  });

  it('leaves the layer alone when the labels hold a single person', () => {
    const one = Array.from({ length: 12 }, () => 'A');
    const rows = Array.from({ length: 12 }, (_, i) => Array.from(features.data.subarray(i * 64, (i + 1) * 64)));
    const spread = coneLayer(1, 0.5);
    const r = calibrateDistanceScale(spread, reference, rows, one, threshold);
    expect(r.beta).toBe(0);
    expect(r.layer).toBe(spread);
  });
});

describe('matchConcentration', () => {
  it('gives a layer the spread of another (mean squared pair distance 2 - 2R^2) in both directions', () => {
    const target = concentration(coneLayer(1, 2), features);
    for (const start of [coneLayer(1, 0.5), coneLayer(1, 4)]) {
      expect(Math.abs(concentration(start, features) - target)).toBeGreaterThan(0.05);
      const matched = matchConcentration(start, features, target);
      expect(concentration(matched, features)).toBeCloseTo(target, 3);
      expect(matched.weights).toBe(start.weights);
    }
  });
});

describe('EmbeddingTuner with calibrationThreshold', () => {
  it('returns a trained layer calibrated against the initial one on the labels', () => {
    const data = syntheticFaces({ identities: 40, facesPerIdentity: 16, dim: 128, identityDims: 12, seed: 5 });
    const dataIds = encodeLabels(data.labels).ids;
    const shipped = EmbeddingLayer.random(128, 64, 11, 'shipped');
    const below = (l: EmbeddingLayer, t: number) => {
      const u = l.forward(data.features).u;
      return pairDistances(u, u, dataIds, 64).different.filter((d) => d < t).length;
    };
    // The threshold at which the shipped layer accepts ~1% of different-person pairs.
    const u0 = shipped.forward(data.features).u;
    const sorted = Float64Array.from(pairDistances(u0, u0, dataIds, 64).different).sort();
    const threshold = sorted[Math.floor(sorted.length / 100)] as number;
    const want = below(shipped, threshold);
    const options = { batchSize: 160, facesPerIdentity: 16, seed: 3, maxEpochs: 8 };
    const plain = new EmbeddingTuner(shipped, options).fit(data.features, data.labels);
    const calibrated = new EmbeddingTuner(shipped, { ...options, calibrationThreshold: threshold }).fit(
      data.features,
      data.labels,
    );
    expect(plain.bestEpoch).toBeGreaterThan(0);
    expect(plain.calibration).toBeUndefined();
    expect(calibrated.calibration?.rank).toBe(want);
    // Training moved the false-accept count at the threshold; calibration brings it back.
    const drift = Math.abs(below(plain.layer, threshold) - want);
    const after = Math.abs(below(calibrated.layer, threshold) - want);
    expect(drift).toBeGreaterThan(want * 0.1);
    expect(after).toBeLessThanOrEqual(Math.max(2, want * 0.05, drift / 4));
  });
});
