import { describe, expect, it } from 'vitest';
import { BruteForceKnn } from '../../../../src-main/engine/people/knn.js';
import { syntheticIdentities } from '../../../helpers/synthetic-identities.js';
import { onCircle } from '../../../helpers/circle-faces.js';

function pack(vs: Float32Array[]): Float32Array {
  const out = new Float32Array(vs.length * (vs[0]?.length ?? 0));
  vs.forEach((v, i) => out.set(v, i * v.length));
  return out;
}

const d = (deg: number): number => Math.fround(2 - 2 * Math.cos((deg * Math.PI) / 180));

describe('BruteForceKnn', () => {
  it('finds the nearest neighbours on a hand-made circle', () => {
    // Angles 0, 10, 30, 100, 200 degrees.
    const v = pack([0, 10, 30, 100, 200].map(onCircle));
    const g = new BruteForceKnn({ k: 2 }).fit(v, 2);
    const row = (i: number): number[] => Array.from(g.indices.slice(i * 2, i * 2 + 2));
    expect(row(0)).toEqual([1, 2]);
    expect(row(1)).toEqual([0, 2]);
    expect(row(2)).toEqual([1, 0]);
    expect(row(3)).toEqual([2, 1]); // 70 and 90 degrees away
    expect(row(4)).toEqual([3, 0]); // 100 and 160 degrees away (30 is 170 away)
    expect(g.distances[0]).toBeCloseTo(d(10), 6);
    expect(g.distances[7]).toBeCloseTo(d(90), 6);
  });

  it('breaks distance ties by index and caps k at n - 1', () => {
    // 0 has two neighbours at exactly 90 degrees: index 1 (90) and index 2 (-90).
    const v = pack([0, 90, -90].map(onCircle));
    const g = new BruteForceKnn({ k: 5 }).fit(v, 2);
    expect(g.k).toBe(2);
    expect(Array.from(g.indices.slice(0, 2))).toEqual([1, 2]);
  });

  it('matches a naive search on random 128-D data, including the 4x2 tile edges', () => {
    const { faces } = syntheticIdentities({ identities: 7, perIdentity: 9, sigma: 0.3, seed: 5 }); // n = 63
    const v = pack(faces.map((f) => f.embedding as Float32Array));
    const k = 6;
    const g = new BruteForceKnn({ k }).fit(v, 128);
    const n = faces.length;
    for (let i = 0; i < n; i++) {
      const all: [number, number][] = [];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        let s = 0;
        for (let t = 0; t < 128; t++) s += (v[i * 128 + t] as number) * (v[j * 128 + t] as number);
        all.push([Math.fround(Math.max(0, 2 - 2 * s)), j]);
      }
      all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(Array.from(g.indices.slice(i * k, i * k + k))).toEqual(all.slice(0, k).map((x) => x[1]));
    }
  });

  it('queries one set against another', () => {
    const base = pack([0, 60, 120].map(onCircle));
    const q = pack([50, 115].map(onCircle));
    const g = new BruteForceKnn({ k: 1 }).query(base, q, 2);
    expect(Array.from(g.indices)).toEqual([1, 2]);
    expect(g.distances[0]).toBeCloseTo(d(10), 6);
  });
});
