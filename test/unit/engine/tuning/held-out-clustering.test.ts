import { describe, expect, it } from 'vitest';
import { heldOutClusterF } from '../../../../src-main/engine/tuning/held-out-clustering.js';
import { EmbeddingLayer } from '../../../../training/embedding-layer.js';

// Identity layer 3 -> 3: features are the embeddings (normalised).
const identity = new EmbeddingLayer({ inDim: 3, outDim: 3, weights: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]) });
const near = (axis: number, wobble: number) => {
  const v = new Float32Array(3);
  v[axis] = 1;
  v[(axis + 1) % 3] = wobble;
  return v;
};

describe('heldOutClusterF', () => {
  const features = [near(0, 0.01), near(0, 0.05), near(1, 0.02), near(1, 0.04), near(2, 0.03), near(2, 0.0)];
  const persons = [7, 7, 8, 8, 9, 9];

  it('is 1 when the threshold separates the people exactly', () => {
    expect(heldOutClusterF(identity, features, persons, 0.1)).toBeCloseTo(1, 9);
  });

  it('falls when the threshold merges different people (squared distance between axes is 2)', () => {
    expect(heldOutClusterF(identity, features, persons, 3)).toBeLessThan(0.6);
  });

  it('falls when the threshold splits a person', () => {
    expect(heldOutClusterF(identity, features, persons, 1e-5)).toBeLessThan(0.7);
  });
});
