/**
 * The re-grouping contract as properties (fast-check searches for counter-examples): on any faces, any
 * threshold and any decisions,
 * - a person grows only by faces within the threshold of its confirmed faces (average linkage between the
 *   confirmed faces and the faces it gained), never by faces rejected for it;
 * - a stricter threshold refines a looser one (lowering it never merges, raising it never splits), for the
 *   faces the grouping itself joins; a face below the quality floor follows the groups: it joins, at each
 *   threshold, the group it would join as a single face, if any, so it can change group with the threshold;
 * - a face below the floor that joins a group is within the threshold of it (as a single face is judged),
 *   never shares it with a face of its own photo, and never links two groups;
 * - the result does not depend on the order the faces come in;
 * - with correct confirmations, a named person is never less pure than the groups that held its confirmed
 *   faces before the user said anything (the least pure of them).
 * Both agglomeration algorithms (exact and kNN graph) are checked, each with the shipped adaptive criterion,
 * plain average linkage and any adaptive criterion within its ranges (agglomeration.ts). Runs are seeded, so
 * CI is repeatable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ADAPTIVE,
  FaceClusterer,
  type ClusteringResult,
} from '../../../../src-main/engine/people/clusterer.js';
import { spreadFactor, type AdaptiveCriterion } from '../../../../src-main/engine/people/agglomeration.js';
import type { ClusterConstraints } from '../../../../src-main/engine/people/constraints.js';
import type { FaceRecord } from '../../../../src-main/engine/people/faces.js';
import { Rng } from '../../../../src-shared/random.js';

const DIM = 8;
const RUNS = { numRuns: 300, seed: 20261201 };

interface World {
  faces: FaceRecord[];
  truth: Map<number, number>;
  constraints: ClusterConstraints;
  /** Identity each person stands for (person id = 1000 + identity). */
  confirmedOf: Map<number, number>;
  rejectedOf: Map<number, Set<number>>;
  threshold: number;
  algorithm: 'exact' | 'knn-graph';
  k: number;
  /** The adaptive merge criterion: undefined = the shipped one, {} = plain linkage, or any within its ranges. */
  adaptive: AdaptiveCriterion | undefined;
}

/** Identities with overlapping spreads in a small space, so that merges are contested. */
const world = fc
  .record({
    seed: fc.integer({ min: 1, max: 1 << 30 }),
    identities: fc.integer({ min: 2, max: 6 }),
    perIdentity: fc.integer({ min: 2, max: 9 }),
    spread: fc.double({ min: 0.1, max: 0.45, noNaN: true }),
    threshold: fc.double({ min: 0.05, max: 1.2, noNaN: true }),
    labelShare: fc.double({ min: 0, max: 1, noNaN: true }),
    rejectShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
    lowQualityShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
    photos: fc.integer({ min: 3, max: 60 }),
    algorithm: fc.constantFrom('exact' as const, 'knn-graph' as const),
    k: fc.integer({ min: 2, max: 12 }),
    adaptive: fc.oneof(
      fc.constant(undefined),
      fc.constant({}),
      fc.record(
        {
          spread: fc.double({ min: 0, max: 1, noNaN: true }),
          sizeSlack: fc.double({ min: -0.5, max: 2, noNaN: true }),
          singleSpread: fc.double({ min: 0, max: 1, noNaN: true }),
          singleSpreadFrom: fc.integer({ min: 2, max: 8 }),
        },
        { requiredKeys: ['spread', 'sizeSlack'] },
      ),
    ),
  })
  .map((p): World => {
    const rng = new Rng(p.seed);
    const g = () => rng.normal();
    const faces: FaceRecord[] = [];
    const truth = new Map<number, number>();
    for (let c = 0; c < p.identities; c++) {
      const centre = Array.from({ length: DIM }, () => g());
      for (let s = 0; s < p.perIdentity; s++) {
        const v = centre.map((x) => x + p.spread * 2.5 * g());
        const n = Math.hypot(...v);
        const id = faces.length + 1;
        faces.push({
          id,
          embedding: Float32Array.from(v, (x) => x / n),
          photoId: rng.int(p.photos),
          // Some faces below the quality floor (0.2): they join groups afterwards (below-floor.ts).
          quality: rng.next() < p.lowQualityShare ? 0.1 : 0.9,
        });
        truth.set(id, c);
      }
    }
    // Correct confirmations for some faces of some identities; rejections of other identities' faces.
    const confirmedOf = new Map<number, number>();
    const rejectedOf = new Map<number, Set<number>>();
    for (const f of faces) {
      const id = truth.get(f.id as number) as number;
      if (id % 2 === 0 && rng.next() < p.labelShare) confirmedOf.set(f.id as number, 1000 + id);
    }
    const personIds = [...new Set(confirmedOf.values())];
    for (const f of faces) {
      if (confirmedOf.has(f.id as number) || rng.next() >= p.rejectShare || personIds.length === 0) continue;
      const person = personIds[rng.int(personIds.length)] as number;
      if (person - 1000 === truth.get(f.id as number)) continue;
      const set = rejectedOf.get(person) ?? new Set<number>();
      set.add(f.id as number);
      rejectedOf.set(person, set);
    }
    const people = personIds.map((personId) => ({
      personId,
      confirmed: [...confirmedOf].filter(([, p]) => p === personId).map(([f]) => f),
      rejected: [...(rejectedOf.get(personId) ?? [])],
    }));
    return {
      faces,
      truth,
      constraints: { people },
      confirmedOf,
      rejectedOf,
      threshold: p.threshold,
      algorithm: p.algorithm,
      k: p.k,
      adaptive: p.adaptive,
    };
  });

function fit(w: World, threshold = w.threshold, faces = w.faces, constraints = w.constraints): ClusteringResult {
  return new FaceClusterer({
    threshold,
    algorithm: w.algorithm,
    k: w.k,
    minClusterSize: 1,
    ...(w.adaptive ? { adaptive: w.adaptive } : {}),
  }).fit(faces, constraints);
}

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += ((a[t] as number) - (b[t] as number)) ** 2;
  return s;
}

/** Share of a group's faces that belong to `identity`. */
function purity(faces: readonly number[], truth: ReadonlyMap<number, number>, identity: number): number {
  return faces.filter((f) => truth.get(f) === identity).length / faces.length;
}

describe('re-grouping properties', () => {
  it('a person gains only faces within the threshold of its confirmed faces, never a rejected one', () => {
    fc.assert(
      fc.property(world, (w) => {
        const byId = new Map(w.faces.map((f) => [f.id as number, f]));
        for (const c of fit(w).clusters) {
          if (c.personId === undefined) continue;
          const anchor = [...w.confirmedOf].filter(([, p]) => p === c.personId).map(([f]) => f);
          const gained = (c.faces as number[]).filter((f) => w.confirmedOf.get(f) !== c.personId);
          expect(c.faces).toEqual(expect.arrayContaining(anchor));
          for (const f of gained) expect(w.rejectedOf.get(c.personId as number)?.has(f) ?? false).toBe(false);
          if (gained.length === 0) continue;
          let sum = 0;
          for (const a of anchor)
            for (const g of gained) sum += distance(byId.get(a)!.embedding, byId.get(g)!.embedding);
          expect(sum / (anchor.length * gained.length)).toBeLessThanOrEqual(w.threshold + 1e-9);
        }
      }),
      RUNS,
    );
  });

  it('a stricter threshold refines a looser one', () => {
    fc.assert(
      fc.property(world, fc.double({ min: 0.01, max: 1, noNaN: true }), (w, factor) => {
        const loose = fit(w).labels;
        const strict = fit(w, w.threshold * factor).labels;
        // Faces the grouping joins (not below the floor, or confirmed) together at the stricter threshold are
        // together at the looser one.
        const confirmed = new Set(w.confirmedOf.keys());
        const grouped = (i: number) => (w.faces[i]!.quality ?? 1) >= 0.2 || confirmed.has(w.faces[i]!.id as number);
        const looseOf = new Map<number, number>();
        strict.forEach((label, i) => {
          if (!grouped(i)) return;
          const known = looseOf.get(label as number);
          if (known === undefined) looseOf.set(label as number, loose[i] as number);
          else expect(loose[i]).toBe(known);
        });
      }),
      RUNS,
    );
  });

  it('a face below the floor joins a group only within the threshold, never beside a face of its photo, never as a bridge', () => {
    fc.assert(
      fc.property(world, (w) => {
        const attached = fit(w);
        const leftOut = new FaceClusterer({
          threshold: w.threshold,
          algorithm: w.algorithm,
          k: w.k,
          minClusterSize: 1,
          belowFloor: 'unsorted',
          ...(w.adaptive ? { adaptive: w.adaptive } : {}),
        }).fit(w.faces, w.constraints);
        const byId = new Map(w.faces.map((f) => [f.id as number, f]));
        const confirmed = new Set(w.confirmedOf.keys());
        const below = (id: number) => (byId.get(id)!.quality ?? 1) < 0.2 && !confirmed.has(id);
        // The groups of the faces above the floor are exactly those without attaching.
        const above = (r: ClusteringResult) =>
          r.clusters.map((c) => c.faces.filter((f) => !below(f as number))).filter((g) => g.length > 0);
        expect(above(attached)).toEqual(above(leftOut));
        for (const c of attached.clusters) {
          const members = c.faces.filter((f) => !below(f as number)) as number[];
          for (const f of c.faces as number[]) {
            if (!below(f)) continue;
            expect(members.length).toBeGreaterThan(0);
            const others = c.faces.filter((g) => g !== f).map((g) => byId.get(g as number)!.photoId);
            expect(others).not.toContain(byId.get(f)!.photoId);
            // Mean squared L2 to the members, or (named person) to the confirmed faces: spread credit and
            // size slack only ever loosen a single face's value by the group's spread, never beyond it.
            const measured = c.personId === undefined ? members : members.filter((m) => confirmed.has(m));
            const mean =
              measured.reduce((sum, m) => sum + distance(byId.get(f)!.embedding, byId.get(m)!.embedding), 0) /
              measured.length;
            const sumVec = new Float64Array(DIM);
            for (const m of measured) {
              const e = byId.get(m)!.embedding;
              for (let t = 0; t < DIM; t++) sumVec[t]! += e[t]! / measured.length;
            }
            const spread = 1 - sumVec.reduce((a, x) => a + x * x, 0);
            const factor = spreadFactor(w.adaptive ?? DEFAULT_ADAPTIVE, 1, measured.length);
            const credit = c.personId === undefined ? factor * spread : 0;
            expect(mean - credit).toBeLessThanOrEqual(w.threshold + 1e-6);
          }
        }
      }),
      RUNS,
    );
  });

  it('gives the same people whatever order the faces come in', () => {
    fc.assert(
      fc.property(world, fc.integer(), (w, seed) => {
        const a = fit(w);
        const b = fit(w, w.threshold, new Rng(seed).shuffled(w.faces));
        expect(b.clusters).toEqual(a.clusters);
        expect(b.unsorted).toEqual(a.unsorted);
      }),
      RUNS,
    );
  });

  it('with correct confirmations a named person is at least as pure as the group that held them before', () => {
    fc.assert(
      fc.property(world, (w) => {
        const before = fit(w, w.threshold, w.faces, {});
        const clusterOf = new Map<number, number[]>();
        for (const c of before.clusters) for (const f of c.faces) clusterOf.set(f as number, c.faces as number[]);
        for (const c of fit(w).clusters) {
          if (c.personId === undefined) continue;
          const identity = (c.personId as number) - 1000;
          const anchor = [...w.confirmedOf].filter(([, p]) => p === c.personId).map(([f]) => f);
          // The least pure group that held one of the confirmed faces when nothing was confirmed. (Not the
          // purest: confirming two faces the clusterer kept apart, e.g. of one photo, joins their groups.)
          const baseline = Math.min(...anchor.map((f) => purity(clusterOf.get(f) ?? [f], w.truth, identity)));
          expect(purity(c.faces as number[], w.truth, identity)).toBeGreaterThanOrEqual(baseline - 1e-12);
        }
      }),
      RUNS,
    );
  });
});
