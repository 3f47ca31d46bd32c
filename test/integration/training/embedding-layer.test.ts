import { describe, expect, it } from 'vitest';
import { valAtFar } from '../../../src-shared/verification.js';
import { EmbeddingLayer } from '../../../training/embedding-layer.js';
import { evaluateTuning } from '../../../training/evaluate.js';
import { pairDistances, valAtFarSorted } from '../../../training/metrics.js';
import { Rng } from '../../../src-shared/random.js';
import { loadShippedLayer } from '../../../models/convert/faceapi/shipped-layer.js';

describe('EmbeddingLayer', () => {
  const layer = new EmbeddingLayer({
    inDim: 3,
    outDim: 2,
    weights: Float32Array.from([1, 0, 0, 2, 1, 1]),
    bias: Float32Array.from([0.5, -1]),
    id: 'test-v1',
  });

  it('computes z = x·W + b and unit embeddings', () => {
    const fwd = layer.forward({ data: Float32Array.from([1, 2, 3]), rows: 1, cols: 3 });
    // z = [1*1 + 2*0 + 3*1 + 0.5, 1*0 + 2*2 + 3*1 - 1] = [4.5, 6]
    expect(Array.from(fwd.z)).toEqual([4.5, 6]);
    expect(fwd.norms[0]).toBeCloseTo(7.5, 12);
    expect(Array.from(fwd.u)).toEqual([0.6, 0.8]);
  });

  it('round-trips through binary and JSON with its version id, and rejects foreign data', () => {
    const big = EmbeddingLayer.random(256, 128, 3, 'tuned-2026-11-28');
    const bin = big.toBinary();
    expect(bin.byteLength).toBe(20 + 16 + 4 * (256 * 128 + 128));
    const back = EmbeddingLayer.fromBinary(bin);
    expect(back.id).toBe('tuned-2026-11-28');
    expect(Array.from(back.weights)).toEqual(Array.from(big.weights));
    const json = EmbeddingLayer.fromJSON(JSON.parse(JSON.stringify(layer.toJSON())));
    expect(json.id).toBe('test-v1');
    expect(Array.from(json.bias)).toEqual([0.5, -1]);
    const bad = bin.slice();
    bad[4] = 9; // format version
    expect(() => EmbeddingLayer.fromBinary(bad)).toThrow(/format/);
    expect(() => EmbeddingLayer.fromBinary(new Uint8Array(40))).toThrow(/not an embedding-layer/);
    expect(() => EmbeddingLayer.fromBinary(bin.subarray(0, bin.length - 4))).toThrow(/truncated/);
  });

  it('loads the shipped face-api layer (256 -> 128, b = 0) and reproduces normalize(features · fc)', () => {
    const shipped = loadShippedLayer();
    expect([shipped.inDim, shipped.outDim]).toEqual([256, 128]);
    expect(shipped.bias.every((v) => v === 0)).toBe(true);
    const rng = new Rng(2);
    const f = Float32Array.from({ length: 256 }, () => Math.max(0, rng.normal()));
    const [u] = shipped.embedEach([f]);
    let manual = new Float64Array(128);
    for (let k = 0; k < 256; k++)
      for (let j = 0; j < 128; j++)
        manual[j] = (manual[j] as number) + (f[k] as number) * (shipped.weights[k * 128 + j] as number);
    const n = Math.hypot(...manual);
    manual = manual.map((v) => v / n);
    for (let j = 0; j < 128; j++) expect(u?.[j]).toBeCloseTo(manual[j] as number, 6);
  });
});

describe('held-out metrics', () => {
  it('VAL at FAR from sorted arrays agrees with src-shared valAtFar', () => {
    const rng = new Rng(4);
    const n = 120;
    const u = new Float64Array(n * 8);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 12);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < 8; j++) {
        const v = rng.normal() + (j === (labels[i] as number) % 8 ? 1.5 : 0);
        u[i * 8 + j] = v;
        s += v * v;
      }
      for (let j = 0; j < 8; j++) u[i * 8 + j] = (u[i * 8 + j] as number) / Math.sqrt(s);
    }
    const pairs = pairDistances(u, u, labels, 8);
    expect(pairs.same.length + pairs.different.length).toBe((n * (n - 1)) / 2);
    for (const far of [0, 1e-3, 1e-2, 0.1, 0.5]) {
      expect(valAtFarSorted(pairs, far)).toBeCloseTo(valAtFar(pairs.same, pairs.different, far).val, 12);
    }
  });

  it('counts faces that change person under nearest-labelled-neighbour assignment', () => {
    const before = new EmbeddingLayer({ inDim: 2, outDim: 2, weights: Float32Array.from([1, 0, 0, 1]) });
    const after = new EmbeddingLayer({ inDim: 2, outDim: 2, weights: Float32Array.from([1, 0, 0, 0.1]) });
    const reference = { features: [Float32Array.of(1, 0), Float32Array.of(0, 1)], labels: ['A', 'B'] };
    // h0 (an A) is nearer B before and nearer A after; h1 (a B) stays B.
    const heldOut = { features: [Float32Array.of(0.2, 1), Float32Array.of(0, 1)], labels: ['A', 'B'] };
    const e = evaluateTuning(before, after, heldOut, reference);
    expect(e.before.nearestNeighbourAccuracy).toBe(0.5);
    expect(e.after.nearestNeighbourAccuracy).toBe(1);
    expect([e.changedPerson, e.fixed, e.broken]).toEqual([1, 1, 0]);
    const same = evaluateTuning(before, before, heldOut, reference);
    expect(same.changedPerson).toBe(0);
    expect(same.crossVersionValAtFar).toBe(same.before.valAtFar);
  });
});
