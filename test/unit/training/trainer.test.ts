import { describe, expect, it } from 'vitest';
import { EmbeddingLayer } from '../../../training/embedding-layer.js';
import { evaluateTuning } from '../../../training/evaluate.js';
import { Rng } from '../../../src-shared/random.js';
import { heldOutCount, splitForValidation } from '../../../training/held-out.js';
import { EmbeddingTuner, type TuneProgress } from '../../../training/trainer.js';
import { splitPerIdentity, syntheticFaces } from '../../helpers/synthetic-features.js';

// 40 people x 24 faces, 128-D features: identity in a 12-D subspace, strong nuisance in 24 directions.
// Faces 0..15 of each person are the "confirmed labels", 16..23 are held out for the before/after figures.
const { train, test } = splitPerIdentity(
  syntheticFaces({
    identities: 40,
    facesPerIdentity: 24,
    dim: 128,
    identityDims: 12,
    nuisanceDims: 24,
    seed: 5,
  }),
  24,
  16,
);
// A random layer plays the shipped model that was never trained on this family: it mixes nuisance in.
const shipped = EmbeddingLayer.random(128, 64, 11, 'shipped');
const small = { batchSize: 160, facesPerIdentity: 16, seed: 3 };

describe('EmbeddingTuner', () => {
  it('learns from labels: held-out VAL at FAR 1e-3 rises clearly and faces move to the right person', () => {
    const progress: TuneProgress[] = [];
    const result = new EmbeddingTuner(shipped, { ...small, maxEpochs: 40, onProgress: (p) => progress.push(p) }).fit(
      train.features,
      train.labels,
    );
    const e = evaluateTuning(shipped, result.layer, test, train);
    expect(e.before.valAtFar).toBeLessThan(0.1);
    expect(e.after.valAtFar).toBeGreaterThan(0.8);
    expect(e.after.nearestNeighbourAccuracy).toBeGreaterThan(0.95);
    expect(e.fixed).toBeGreaterThan(200);
    expect(e.broken).toBeLessThan(5);
    // The returned layer is the best epoch on the trainer's own held-out faces.
    const scores = result.history.map((h) => h.heldOut?.valAtFar ?? -1);
    expect(result.history[result.bestEpoch]?.heldOut?.valAtFar).toBe(Math.max(...scores));
    expect(result.layer.id).toBe('shipped+tuned');
    expect(progress.some((p) => p.kind === 'step')).toBe(true);
    expect(progress.filter((p) => p.kind === 'epoch').length).toBe(result.history.length - 1);
    // Mining found semi-hard negatives for most pairs.
    expect(result.history[1]?.semiHardFraction).toBeGreaterThan(0.5);
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const fit = (seed: number) =>
      new EmbeddingTuner(shipped, { ...small, seed, maxEpochs: 2 }).fit(train.features, train.labels).layer;
    const a = fit(7);
    const b = fit(7);
    const c = fit(8);
    expect(Buffer.from(a.toBinary()).equals(Buffer.from(b.toBinary()))).toBe(true);
    expect(Buffer.from(a.toBinary()).equals(Buffer.from(c.toBinary()))).toBe(false);
  });

  it('stops at maxSteps and can be cancelled through an AbortSignal', () => {
    const r = new EmbeddingTuner(shipped, { ...small, maxSteps: 3 }).fit(train.features, train.labels);
    expect(r.steps).toBe(3);
    expect(r.stopReason).toBe('max-steps');
    const timed = new EmbeddingTuner(shipped, { ...small, maxSeconds: 1e-9 }).fit(train.features, train.labels);
    // The budget is spent before the first step: the untouched layer comes back.
    expect([timed.steps, timed.stopReason]).toEqual([0, 'time-limit']);
    expect(Array.from(timed.layer.weights)).toEqual(Array.from(shipped.weights));
    const controller = new AbortController();
    let steps = 0;
    const tuner = new EmbeddingTuner(shipped, {
      ...small,
      onProgress: (p) => {
        if (p.kind === 'step' && ++steps === 2) controller.abort();
      },
      signal: controller.signal,
    });
    expect(() => tuner.fit(train.features, train.labels)).toThrow(/cancelled/);
    expect(steps).toBe(2);
  });

  it('returns the initial layer when training cannot beat it on held-out faces', () => {
    // Learning rate 0: nothing changes, so no epoch improves on the baseline (epoch 0).
    const r = new EmbeddingTuner(shipped, { ...small, learningRate: 0, maxEpochs: 10, patience: 2 }).fit(
      train.features,
      train.labels,
    );
    expect(r.bestEpoch).toBe(0);
    expect(r.stopReason).toBe('early-stopping');
    expect(Array.from(r.layer.weights)).toEqual(Array.from(shipped.weights));
  });
});

describe('splitForValidation', () => {
  it('holds out whole pairs per identity (never a lone face) and keeps enough for training', () => {
    const ids = Int32Array.from([...Array(10).fill(0), ...Array(4).fill(1), ...Array(40).fill(2)]);
    const { train, heldOut } = splitForValidation(ids, 0.1, 1000, new Rng(1));
    const count = (set: number[], id: number) => set.filter((i) => ids[i] === id).length;
    expect(count(heldOut, 0)).toBe(2); // round(0.1 * 10) = 1 would give no same pair: 2
    expect(count(heldOut, 1)).toBe(0); // too few faces
    expect(count(heldOut, 2)).toBe(4);
    expect(train.length + heldOut.length).toBe(ids.length);
    expect(new Set([...train, ...heldOut]).size).toBe(ids.length);
    expect(splitForValidation(ids, 0, 1000, new Rng(1)).heldOut).toEqual([]);
  });
});

describe('the held-out rule (training/held-out.ts)', () => {
  it('holds out none of small identities, at least 2 and leaves at least 3 of the others', () => {
    expect([1, 4, 5, 6, 10, 20, 40].map((n) => heldOutCount(n, 0.2))).toEqual([0, 0, 2, 2, 2, 4, 8]);
    expect([5, 6, 8].map((n) => heldOutCount(n, 0.9))).toEqual([2, 3, 5]);
    expect(heldOutCount(40, 0)).toBe(0);
  });
});
