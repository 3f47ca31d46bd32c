import { describe, expect, it } from 'vitest';
import { IdentityBalancedSampler, mineSemiHard } from '../../../training/mining.js';
import { Rng } from '../../../src-shared/random.js';

/** A "distance" matrix from positions on a line: D(i, j) = |x_i - x_j| (mining only reads the matrix). */
function lineDistances(x: number[]): Float64Array {
  const n = x.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.abs((x[i] as number) - (x[j] as number));
  return d;
}

function asTuples(t: { anchor: Int32Array; positive: Int32Array; negative: Int32Array }): [number, number, number][] {
  return Array.from(t.anchor, (a, i) => [a, t.positive[i] as number, t.negative[i] as number]);
}

describe('semi-hard mining on a crafted batch', () => {
  // faces:      A0   A1   B0   B1   C0
  const x = [0, 0.5, 0.6, 2.0, 0.3];
  const labels = Int32Array.from([0, 0, 1, 1, 2]);
  const dist = lineDistances(x);

  it('picks exactly the semi-hard negative, the least-hard fallback, never the hardest', () => {
    const t = mineSemiHard(dist, labels, new Rng(1), { alpha: 0.2 });
    expect(asTuples(t)).toEqual([
      // (A0, A1): D(a,p) = 0.5, band (0.5, 0.7): only B0 (0.6). C0 (0.3) is hard, B1 (2.0) easy.
      [0, 1, 2],
      // (A1, A0): D = 0.5; B0 0.1 and C0 0.2 are hard, B1 1.5 easy: no semi-hard -> least hard = C0.
      [1, 0, 4],
      // (B0, B1): D = 1.4; A0 0.6, A1 0.1, C0 0.3 all hard -> least hard A0 (the hardest would be A1).
      [2, 3, 0],
      // (B1, B0): D = 1.4, band (1.4, 1.6): A1 at 1.5; A0 2.0 and C0 1.7 are beyond the margin.
      [3, 2, 1],
    ]);
    expect(t.stats).toEqual({ pairs: 4, semiHard: 2, fallback: 2, skipped: 0 });
  });

  it("with fallback 'skip' drops pairs without a semi-hard negative", () => {
    const t = mineSemiHard(dist, labels, new Rng(1), { alpha: 0.2, fallback: 'skip' });
    expect(asTuples(t)).toEqual([
      [0, 1, 2],
      [3, 2, 1],
    ]);
    expect(t.stats.skipped).toBe(2);
  });

  it('skips pairs whose negatives are all beyond the margin, and the band is open at both ends', () => {
    // A0 = 0, A1 = 0.5, alpha = 0.25: B0 at D = 0.75 = D(a,p) + alpha exactly (not semi-hard, easy),
    // B1 at D = 0.5 = D(a,p) exactly (not semi-hard: hard, so it is the fallback).
    const d = lineDistances([0, 0.5, 0.75, -0.5]);
    const l = Int32Array.from([0, 0, 1, 2]);
    const withHard = mineSemiHard(d, l, new Rng(1), { alpha: 0.25 });
    expect(asTuples(withHard)[0]).toEqual([0, 1, 3]);
    expect(withHard.stats.semiHard).toBe(0);
    const noHard = mineSemiHard(lineDistances([0, 0.5, 0.75]), Int32Array.from([0, 0, 1]), new Rng(1), { alpha: 0.25 });
    // (A0, A1): B0 at 0.75 is on the boundary -> skipped. (A1, A0): B0 at 0.25 is hard -> fallback.
    expect(asTuples(noHard)).toEqual([[1, 0, 2]]);
    expect(noHard.stats.skipped).toBe(1);
  });

  it('chooses uniformly among several semi-hard negatives, reproducibly for a seed', () => {
    // Anchor 0, positive 1 at 1.0; negatives 2,3,4 at 1.05, 1.1, 1.15 (all semi-hard), 5 at 3 (easy).
    const d = lineDistances([0, 1, 1.05, 1.1, 1.15, 3]);
    const l = Int32Array.from([0, 0, 1, 2, 3, 4]);
    const counts = new Map<number, number>();
    const rng = new Rng(5);
    for (let r = 0; r < 3000; r++) {
      const t = mineSemiHard(d, l, rng, { alpha: 0.2 });
      const first = asTuples(t)[0] as [number, number, number];
      expect(first.slice(0, 2)).toEqual([0, 1]);
      counts.set(first[2], (counts.get(first[2]) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([2, 3, 4]);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(120);
    const a = asTuples(mineSemiHard(d, l, new Rng(42)));
    const b = asTuples(mineSemiHard(d, l, new Rng(42)));
    expect(a).toEqual(b);
  });

  it('offsets indices into harmonic tables', () => {
    const t = mineSemiHard(dist, labels, new Rng(1), { alpha: 0.2, anchorOffset: 5, otherOffset: 0 });
    expect(asTuples(t)[0]).toEqual([5, 1, 2]);
  });
});

describe('identity-balanced batches', () => {
  function labelsOf(counts: number[]): Int32Array {
    const out: number[] = [];
    counts.forEach((c, id) => {
      for (let i = 0; i < c; i++) out.push(id);
    });
    return Int32Array.from(out);
  }

  it('holds at most facesPerIdentity faces of an identity, covers every face, respects batchSize', () => {
    const labels = labelsOf([100, 45, 12, 3, 1, 1, 60, 2, 30]);
    const sampler = new IdentityBalancedSampler({ batchSize: 120, facesPerIdentity: 40, randomFaceFraction: 0.1 });
    const batches = sampler.epoch(labels, new Rng(3));
    const seen = new Set<number>();
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(120);
      expect(new Set(b).size).toBe(b.length);
      const perId = new Map<number, number>();
      for (const i of b) {
        seen.add(i);
        perId.set(labels[i] as number, (perId.get(labels[i] as number) ?? 0) + 1);
      }
      for (const c of perId.values()) expect(c).toBeLessThanOrEqual(40);
    }
    // Every face of an identity with a positive is in some batch.
    labels.forEach((l, i) => {
      if (l !== 4 && l !== 5) expect(seen.has(i)).toBe(true);
    });
    // Deterministic for a seed.
    expect(sampler.epoch(labels, new Rng(3)).map((b) => Array.from(b))).toEqual(batches.map((b) => Array.from(b)));
  });

  it('splits a large identity evenly (45 -> 23 + 22, never 40 + 5)', () => {
    const sampler = new IdentityBalancedSampler({ batchSize: 46, facesPerIdentity: 40, randomFaceFraction: 0 });
    const batches = sampler.epoch(labelsOf([45]), new Rng(1));
    expect(batches.map((b) => b.length).sort()).toEqual([22, 23]);
  });

  it('tops batches up with random faces of identities not in the batch', () => {
    const labels = labelsOf([10, 10, 10, 10, 10, 10]);
    const sampler = new IdentityBalancedSampler({ batchSize: 25, facesPerIdentity: 10, randomFaceFraction: 0.2 });
    for (const b of sampler.epoch(labels, new Rng(7))) {
      expect(b.length).toBe(25);
      // 20 faces from two whole identities plus 5 from others.
      const perId = new Map<number, number>();
      for (const i of b) perId.set(labels[i] as number, (perId.get(labels[i] as number) ?? 0) + 1);
      expect([...perId.values()].filter((c) => c === 10).length).toBe(2);
    }
  });
});
