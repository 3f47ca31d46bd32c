/**
 * Merge candidates (src-main/engine/people/merge-candidates.ts) against a brute-force reading of their
 * definitions, for any grouping of seeded synthetic faces: with k at least the number of faces every pair of
 * people is a candidate and each measure equals its definition; with a small k only pairs joined by a
 * neighbour edge are; and the result does not depend on face ids or input order. Also where a suggestion rule
 * cuts (merge-suggestions.ts), the all-pairs average linkage (averagePairs), and the merge value the shipped
 * rule reads (mergeValue): its definition, and that it is what the clusterer itself merges two people by.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADAPTIVE } from '../../../../src-main/engine/people/clusterer.js';
import { exactAgglomerate } from '../../../../src-main/engine/people/hac-exact.js';
import {
  averagePairs,
  LINK_PAIRS,
  mergeCandidates,
  mergeValue,
  personSum,
} from '../../../../src-main/engine/people/merge-candidates.js';
import { suggestionCut } from '../../../../src-main/engine/people/merge-suggestions.js';
import type { FaceVector } from '../../../../src-main/engine/storage/types.js';
import { syntheticIdentities } from '../../../helpers/synthetic-identities.js';

function sq(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += ((a[t] as number) - (b[t] as number)) ** 2;
  return s;
}

/** Faces of `identities` synthetic identities, each face given to person `personOf(identity, index)`. */
function faces(seed: number, identities: number, perIdentity: number, people: (face: number) => number): FaceVector[] {
  const set = syntheticIdentities({ identities, perIdentity, dim: 16, sigma: 0.15, seed });
  return set.faces.map((f, i) => ({
    id: Number(f.id) + 1,
    photoId: i + 1,
    quality: 1,
    embedding: Float32Array.from(f.embedding),
    personId: people(i),
    assignment: 'auto',
    contentKey: `photo${String(i).padStart(4, '0')}`,
  }));
}

const grouping = fc.record({
  seed: fc.integer({ min: 1, max: 1000 }),
  identities: fc.integer({ min: 2, max: 4 }),
  perIdentity: fc.integer({ min: 1, max: 6 }),
  people: fc.integer({ min: 2, max: 6 }),
});

describe('mergeCandidates', () => {
  it('with every face a neighbour, each pair of people is a candidate and each measure is its definition', () => {
    fc.assert(
      fc.property(grouping, ({ seed, identities, perIdentity, people }) => {
        const all = faces(seed, identities, perIdentity, (i) => (i * 7 + seed) % people);
        const got = mergeCandidates(all, { threshold: 0.13, k: all.length });
        const ids = [...new Set(all.map((f) => f.personId as number))].sort((x, y) => x - y);
        expect(got.map((c) => [c.a, c.b])).toEqual(ids.flatMap((a, i) => ids.slice(i + 1).map((b) => [a, b])));
        for (const c of got) {
          const A = all.filter((f) => f.personId === c.a);
          const B = all.filter((f) => f.personId === c.b);
          const cross = A.flatMap((x) => B.map((y) => sq(x.embedding, y.embedding)));
          expect(c.average).toBeCloseTo(cross.reduce((s, d) => s + d, 0) / cross.length, 4);
          const nearest = [
            ...A.map((x) => Math.min(...B.map((y) => sq(x.embedding, y.embedding)))),
            ...B.map((y) => Math.min(...A.map((x) => sq(x.embedding, y.embedding)))),
          ].sort((x, y) => x - y);
          const used = nearest.slice(0, LINK_PAIRS);
          expect(c.link).toBeCloseTo(used.reduce((s, d) => s + d, 0) / used.length, 4);
          expect(c.link).toBeLessThanOrEqual(c.average + 1e-6);
          expect(c.relative).toBeGreaterThan(0);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('with few neighbours, only pairs of people joined by an edge, and the same measures for those', () => {
    fc.assert(
      fc.property(grouping, ({ seed, identities, perIdentity, people }) => {
        const all = faces(seed, identities, perIdentity, (i) => (i * 5 + seed) % people);
        const exact = new Map(
          mergeCandidates(all, { threshold: 0.13, k: all.length }).map((c) => [`${c.a}:${c.b}`, c]),
        );
        for (const c of mergeCandidates(all, { threshold: 0.13, k: 2 })) {
          const e = exact.get(`${c.a}:${c.b}`);
          expect(e).toBeDefined();
          expect(c.average).toBeCloseTo(e!.average, 6);
          // Each distance a face sees among fewer neighbours is a real cross distance: never below the closest pair.
          const A = all.filter((f) => f.personId === c.a);
          const B = all.filter((f) => f.personId === c.b);
          const closest = Math.min(...A.flatMap((x) => B.map((y) => sq(x.embedding, y.embedding))));
          expect(c.link).toBeGreaterThanOrEqual(closest - 1e-6);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('does not depend on face ids or input order', () => {
    fc.assert(
      fc.property(grouping, fc.integer({ min: 1, max: 1000 }), ({ seed, identities, perIdentity, people }, shift) => {
        const all = faces(seed, identities, perIdentity, (i) => (i * 3 + seed) % people);
        const renumbered = [...all].reverse().map((f) => ({ ...f, id: f.id + shift }));
        expect(mergeCandidates(renumbered, { threshold: 0.13, k: 4 })).toEqual(
          mergeCandidates(all, { threshold: 0.13, k: 4 }),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('leaves out faces in no person, and has nothing to pair with one person', () => {
    const all = faces(3, 2, 4, (i) => (i < 4 ? 1 : 2));
    expect(
      mergeCandidates(
        all.map((f) => (f.personId === 2 ? { ...f, personId: null } : f)),
        { threshold: 0.13 },
      ),
    ).toEqual([]);
    expect(mergeCandidates(all, { threshold: 0.13 }).map((c) => [c.a, c.b])).toEqual([[1, 2]]);
  });
});

describe('suggestionCut', () => {
  it('is range x threshold for a one-face person, and grows with the smaller person towards range + alpha', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (threshold, range, alpha, m) => {
          const rule = { ranking: 'average' as const, range, alpha };
          expect(suggestionCut(rule, threshold, 1)).toBeCloseTo(range * threshold, 12);
          expect(suggestionCut(rule, threshold, m + 1)).toBeGreaterThanOrEqual(suggestionCut(rule, threshold, m));
          expect(suggestionCut(rule, threshold, m)).toBeLessThan((range + alpha) * threshold + 1e-12);
          expect(suggestionCut({ ranking: 'average', range }, threshold, m)).toBeCloseTo(range * threshold, 12);
        },
      ),
    );
  });
});

describe('averagePairs', () => {
  it('is every pair of people with its average linkage and smaller size, as the graph candidates measure it', () => {
    fc.assert(
      fc.property(grouping, ({ seed, identities, perIdentity, people }) => {
        const all = faces(seed, identities, perIdentity, (i) => (i * 7 + seed) % people);
        const pairs = averagePairs(all);
        const exact = mergeCandidates(all, { threshold: 0.13, k: all.length });
        expect(pairs.map((p) => [p.a, p.b])).toEqual(exact.map((c) => [c.a, c.b]));
        pairs.forEach((p, i) => {
          expect(p.average).toBeCloseTo(exact[i]!.average, 9);
          expect(p.smaller).toBe(exact[i]!.smaller);
          const size = (id: number) => all.filter((f) => f.personId === id).length;
          expect(p.smaller).toBe(Math.min(size(p.a), size(p.b)));
        });
      }),
      { numRuns: 40 },
    );
  });
});

describe('averagePairs with a filter', () => {
  it('returns exactly the pairs the filter keeps', () => {
    const all = faces(5, 3, 4, (i) => i % 5);
    const every = averagePairs(all);
    const cut = [...every].sort((x, y) => x.average - y.average)[3]!.average;
    expect(averagePairs(all, (d) => d <= cut)).toEqual(every.filter((p) => p.average <= cut));
    expect(averagePairs(all, (_, smaller) => smaller > 2)).toEqual(every.filter((p) => p.smaller > 2));
  });
});

/** The merge value by its definition (agglomeration.ts): spreads as mean squared distance to the centroid. */
function bruteMergeValue(p: readonly FaceVector[], q: readonly FaceVector[]): number {
  const centroid = (g: readonly FaceVector[]) => {
    const c = new Float32Array(g[0]!.embedding.length);
    for (const f of g) f.embedding.forEach((v, t) => (c[t] = (c[t] as number) + v / g.length));
    return c;
  };
  const spread = (g: readonly FaceVector[]) => {
    const c = centroid(g);
    return g.reduce((s, f) => s + sq(f.embedding, c), 0) / g.length;
  };
  let average = 0;
  for (const f of p) for (const g of q) average += sq(f.embedding, g.embedding) / (p.length * q.length);
  const { spread: credit = 0, sizeSlack = 0 } = DEFAULT_ADAPTIVE;
  const value =
    Math.max(0, average - credit * (spread(p) + spread(q))) / (1 + sizeSlack * (1 - 1 / Math.min(p.length, q.length)));
  const anchored = [...p, ...q].some((f) => f.assignment === 'confirmed');
  return anchored ? Math.max(average, value) : value;
}

describe('mergeValue', () => {
  it('is the clustering criterion of the two people (spread credit, size slack; an anchor never below plain)', () => {
    fc.assert(
      fc.property(grouping, fc.boolean(), ({ seed, identities, perIdentity, people }, confirm) => {
        const all = faces(seed, identities, perIdentity, (i) => (i * 7 + seed) % people).map((f, i) =>
          confirm && i === 0 ? { ...f, assignment: 'confirmed' as const } : f,
        );
        const pairs = averagePairs(all);
        const exact = mergeCandidates(all, { threshold: 0.13, k: all.length });
        pairs.forEach((p, i) => {
          const of = (id: number) => all.filter((f) => f.personId === id);
          expect(p.adaptive).toBeCloseTo(bruteMergeValue(of(p.a), of(p.b)), 5);
          expect(exact[i]!.adaptive).toBeCloseTo(p.adaptive, 9);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('joins two people in the exact clusterer exactly when it is within the threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (seed, na, nb, below) => {
          // Two people (each a must-link group, so each starts as one cluster), from two identities.
          const all = faces(seed, 2, 6, (i) => (i < 6 ? 1 : 2)).filter((f, i) => (i < 6 ? i < na : i - 6 < nb));
          const [a, b] = [all.filter((f) => f.personId === 1), all.filter((f) => f.personId === 2)];
          const value = mergeValue(personSum(a), personSum(b));
          const threshold = value * (below ? 1.001 : 0.999);
          const dim = all[0]!.embedding.length;
          const vectors = new Float32Array(all.length * dim);
          all.forEach((f, i) => vectors.set(f.embedding, i * dim));
          const root = Int32Array.from(all, (_, i) => (i < na ? 0 : na));
          const labels = exactAgglomerate({
            vectors,
            dim,
            root,
            cannot: [],
            threshold,
            linkage: 'average',
            adaptive: DEFAULT_ADAPTIVE,
          });
          expect(new Set(labels).size).toBe(below ? 1 : 2);
        },
      ),
      { numRuns: 60 },
    );
  });
});
