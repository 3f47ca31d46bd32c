import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterScores } from '../../../../src-shared/cluster-metrics.js';
import { FaceClusterer } from '../../../../src-main/engine/people/clusterer.js';
import { packFaces } from '../../../../src-main/engine/people/faces.js';
import { IvfKnn, reorderRows, restoreRows } from '../../../../src-main/engine/people/ivf-knn.js';
import { gather } from '../../../../src-main/engine/people/knn-tasks.js';
import { BruteForceKnn } from '../../../../src-main/engine/people/knn.js';
import { syntheticIdentities } from '../../../helpers/synthetic-identities.js';
import { Rng } from '../../../../src-shared/random.js';

describe('IvfKnn', () => {
  const s = syntheticIdentities({ identities: 40, perIdentity: 12, sigma: 0.08, seed: 13 });
  const packed = packFaces(s.faces);

  it('finds at least 95% of the exact k nearest neighbours', () => {
    const k = 10;
    const exact = new BruteForceKnn({ k }).fit(packed.vectors, packed.dim);
    const approx = new IvfKnn({ k }).fit(packed.vectors, packed.dim);
    let hits = 0;
    let selfHits = 0;
    let unsorted = 0;
    for (let i = 0; i < packed.ids.length; i++) {
      const truth = new Set(exact.indices.subarray(i * k, i * k + k));
      for (let s2 = 0; s2 < k; s2++) if (truth.has(approx.indices[i * k + s2] as number)) hits++;
      // Never itself, sorted nearest first (counted, not asserted per element: thousands of expects are slow).
      if (approx.indices.subarray(i * k, i * k + k).includes(i)) selfHits++;
      for (let s2 = 1; s2 < k; s2++)
        if ((approx.distances[i * k + s2] as number) < (approx.distances[i * k + s2 - 1] as number)) unsorted++;
    }
    expect(selfHits).toBe(0);
    expect(unsorted).toBe(0);
    expect(hits / (packed.ids.length * k)).toBeGreaterThanOrEqual(0.95);
  });

  it('probing several lists and refining through neighbours of neighbours are what buy recall', () => {
    // Few lists (30 for 60 people) and noisier faces: lists mix people, and people straddle lists.
    const hard = packFaces(syntheticIdentities({ identities: 60, perIdentity: 15, sigma: 0.1, seed: 13 }).faces);
    const k = 10;
    const exact = new BruteForceKnn({ k }).fit(hard.vectors, hard.dim);
    const recall = (o: ConstructorParameters<typeof IvfKnn>[0]): number => {
      const g = new IvfKnn({ k, lists: 30, ...o }).fit(hard.vectors, hard.dim);
      let hits = 0;
      for (let i = 0; i < hard.ids.length; i++) {
        const truth = new Set(exact.indices.subarray(i * k, i * k + k));
        for (let s2 = 0; s2 < k; s2++) if (truth.has(g.indices[i * k + s2] as number)) hits++;
      }
      return hits / (hard.ids.length * k);
    };
    // Measured: 0.849, 0.947, 0.998 (refinement through neighbours and reverse neighbours).
    const one = recall({ probes: 1, refineRounds: 0 });
    const three = recall({ probes: 3, refineRounds: 0 });
    const refined = recall({ probes: 3, refineRounds: 3 });
    expect(three).toBeGreaterThan(one);
    expect(refined).toBeGreaterThan(three);
    expect(refined).toBeGreaterThanOrEqual(0.98);
  });

  it('searches the rows no other row lists again, in more lists: with every list, they get their exact neighbours', () => {
    const hard = packFaces(syntheticIdentities({ identities: 60, perIdentity: 15, sigma: 0.1, seed: 13 }).faces);
    const k = 10;
    const n = hard.ids.length;
    const options = { k, lists: 30, probes: 1, refineRounds: 0, workers: 0 };
    const plain = new IvfKnn({ ...options, lonelyProbes: 0 }).fit(hard.vectors, hard.dim);
    const wide = new IvfKnn({ ...options, lonelyProbes: 30 }).fit(hard.vectors, hard.dim);
    const exact = new BruteForceKnn({ k }).fit(hard.vectors, hard.dim);
    const row = (g: typeof plain, i: number): number[] =>
      Array.from(g.indices.subarray(i * k, i * k + (g.counts[i] as number)));
    const listed = new Set(Array.from({ length: n }, (_, i) => row(plain, i)).flat());
    const lonely = Array.from({ length: n }, (_, i) => i).filter((i) => !listed.has(i));
    expect(lonely.length).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) expect(row(wide, i)).toEqual(listed.has(i) ? row(plain, i) : row(exact, i));
  });

  it('clusters like the exact graph and deterministically', () => {
    const fit = (faces: typeof s.faces) => new FaceClusterer({ neighbours: 'ivf', threshold: 1.1 }).fit(faces);
    const r = fit(s.faces);
    const exact = new FaceClusterer({ algorithm: 'exact', threshold: 1.1 }).fit(s.faces);
    expect(clusterScores(r.labels, exact.labels).pairwise.f).toBeGreaterThanOrEqual(0.99);
    expect(clusterScores(r.labels, s.truth).bcubed.f).toBeGreaterThanOrEqual(0.99);
    expect(fit(new Rng(2).shuffled(s.faces)).clusters).toEqual(r.clusters);
  });

  it.each([1, 2] as const)(
    'refines exactly as full rounds of neighbour-of-neighbour search would, skipping only links it tried (hops %i)',
    (reverseHops) => {
      // Random directions (no people to find), two lists probed of 20: every round changes thousands of entries.
      const n = 600;
      const dim = 16;
      const rng = new Rng(3);
      const vectors = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) {
        const v = Array.from({ length: dim }, () => rng.normal());
        const norm = Math.hypot(...v);
        v.forEach((x, t) => (vectors[i * dim + t] = x / norm));
      }
      const k = 8;
      const fit = (refineRounds: number) =>
        new IvfKnn({ k, lists: 20, probes: 2, refineRounds, reverseHops, lonelyProbes: 0, workers: 0 }).fit(
          vectors,
          dim,
        );
      const dist = (i: number, j: number): number => {
        let s2 = 0;
        for (let t = 0; t < dim; t++) s2 += (vectors[i * dim + t] as number) * (vectors[j * dim + t] as number);
        return Math.fround(Math.min(4, Math.max(0, 2 - 2 * s2)));
      };
      const best = (i: number, cands: Iterable<number>, m: number): number[] =>
        [...new Set(cands)]
          .filter((j) => j !== i)
          .map((j) => [dist(i, j), j] as const)
          .sort((a, b) => a[0] - b[0] || a[1] - b[1])
          .slice(0, m)
          .map(([, j]) => j);
      const rows = (g: { indices: Int32Array; counts: Int32Array }): number[][] =>
        Array.from({ length: n }, (_, i) => Array.from(g.indices.subarray(i * k, i * k + (g.counts[i] as number))));
      // A full round, written plainly: neighbourhood = neighbours + the k nearest rows that list the row.
      const fullRound = (g: number[][]): number[][] => {
        const reverse: number[][] = Array.from({ length: n }, () => []);
        g.forEach((list, i) => list.forEach((j) => reverse[j]?.push(i)));
        const hood = g.map((list, i) => [...new Set([...list, ...best(i, reverse[i] ?? [], k)])]);
        return g.map((_, i) =>
          best(
            i,
            (hood[i] ?? []).flatMap((j) => [j, ...((reverseHops === 2 ? hood[j] : g[j]) ?? [])]),
            k,
          ),
        );
      };
      let expected = rows(fit(0));
      for (let r = 1; r <= 3; r++) {
        const before = expected;
        expected = fullRound(expected);
        expect(expected).not.toEqual(before);
        expect(rows(fit(r))).toEqual(expected);
      }
    },
  );
});

describe('rows renumbered in place for the search', () => {
  it('reorderRows puts row order[p] at p, restoreRows puts every row back, for any permutation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (n, dim, seed) => {
        const order = Int32Array.from(new Rng(seed).shuffled([...Array(n).keys()]));
        const original = Float32Array.from({ length: n * dim }, (_, i) => i);
        const rows = original.slice();
        reorderRows(rows, order, dim);
        const expected = new Float32Array(n * dim);
        gather(original, order, dim, expected);
        expect(rows).toEqual(expected);
        restoreRows(rows, order, dim);
        expect(rows).toEqual(original);
      }),
    );
  });

  it('leaves the caller its vectors as they were, in shared memory or not', () => {
    const packed = packFaces(syntheticIdentities({ identities: 20, perIdentity: 6, sigma: 0.08, seed: 5 }).faces);
    const shared = packed.vectors; // packFaces makes them shared: the search reorders these very rows
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    const before = shared.slice();
    new IvfKnn({ k: 8, lists: 12 }).fit(shared, packed.dim);
    expect(shared).toEqual(before);
  });
});
