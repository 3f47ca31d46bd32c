import { describe, expect, it } from 'vitest';
import { EmbeddingLayer } from '../../../training/embedding-layer.js';
import { EmbeddingTuner } from '../../../training/trainer.js';
import { syntheticFaces } from '../../helpers/synthetic-features.js';

const { features, labels } = syntheticFaces({
  identities: 12,
  facesPerIdentity: 10,
  dim: 32,
  identityDims: 6,
  nuisanceDims: 8,
  seed: 9,
});
const initial = EmbeddingLayer.random(32, 16, 4, 'initial');
const base = { batchSize: 120, facesPerIdentity: 10, maxEpochs: 6, validationFraction: 0, seed: 2 };

/** Relative distance of W from W0 (scale-free: both normalised to unit RMS). */
function drift(a: EmbeddingLayer, b: EmbeddingLayer): number {
  const rms = (w: ArrayLike<number>) => Math.sqrt(Array.from(w).reduce((s, x) => s + x * x, 0) / w.length);
  const ra = rms(a.weights);
  const rb = rms(b.weights);
  let s = 0;
  for (let i = 0; i < a.weights.length; i++) s += ((a.weights[i] as number) / ra - (b.weights[i] as number) / rb) ** 2;
  return Math.sqrt(s / a.weights.length);
}

describe('anchorWeight (L2 pull toward the initial layer)', () => {
  it('keeps the tuned layer closer to the initial one, the stronger the pull', () => {
    const free = new EmbeddingTuner(initial, { ...base, learningRate: 0.05 }).fit(features, labels).layer;
    const pulled = new EmbeddingTuner(initial, { ...base, learningRate: 0.05, anchorWeight: 5 }).fit(
      features,
      labels,
    ).layer;
    expect(drift(free, initial)).toBeGreaterThan(0);
    expect(drift(pulled, initial)).toBeLessThan(drift(free, initial));
    expect(Array.from(pulled.weights).every(Number.isFinite)).toBe(true);
  });

  it('is off by default and deterministic', () => {
    const a = new EmbeddingTuner(initial, { ...base, anchorWeight: 0.3 }).fit(features, labels).layer;
    const b = new EmbeddingTuner(initial, { ...base, anchorWeight: 0.3 }).fit(features, labels).layer;
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(new EmbeddingTuner(initial).options.anchorWeight).toBe(0);
  });
});
