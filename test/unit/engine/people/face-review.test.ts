/**
 * The pure parts of review (src-main/engine/people/face-review.ts), as properties over synthetic identities:
 * - sub-groups are a partition of the person's faces, the same whatever order the faces come in, and recover
 *   identities that are well apart;
 * - the review order holds every unconfirmed face once, farthest from the confirmed faces first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reviewOrder } from '../../../../src-main/engine/people/face-review.js';
import { subgroupsOf } from '../../../../src-main/engine/people/people-analysis.js';
import type { FaceVector } from '../../../../src-main/engine/storage/types.js';
import { syntheticIdentities } from '../../../helpers/synthetic-identities.js';

function faces(seed: number, identities: number, perIdentity: number, sigma: number): FaceVector[] {
  const set = syntheticIdentities({ identities, perIdentity, sigma, seed, dim: 32 });
  return set.faces.map((f, i) => ({
    id: 100 + i,
    photoId: 1000 + i,
    quality: 0.9,
    embedding: Float32Array.from(f.embedding),
    personId: 7,
    assignment: null,
    contentKey: '',
  }));
}

const identity = (perIdentity: number) => (f: FaceVector) => Math.floor((f.id - 100) / perIdentity);

describe('subgroupsOf', () => {
  it('partitions the faces, independent of their order, and recovers separated identities', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 10_000 }),
        (seed, identities, perIdentity, shuffleSeed) => {
          // sigma 0.03 in 32-D: faces of one identity ~0.06 apart, identities ~2 apart.
          const all = faces(seed, identities, perIdentity, 0.03);
          const groups = subgroupsOf(all, 0.5);
          const ids = groups.flat().map((f) => f.id);
          expect([...ids].sort((a, b) => a - b)).toEqual(all.map((f) => f.id));
          expect(groups.map((g) => g.length)).toEqual(groups.map((g) => g.length).sort((a, b) => b - a));
          // Each group is one identity, and each identity one group.
          const of = identity(perIdentity);
          for (const g of groups) expect(new Set(g.map(of)).size).toBe(1);
          expect(groups.length).toBe(identities);
          // The order of the input does not matter.
          const shuffled = [...all].sort(
            (a, b) => ((a.id * 7919 + shuffleSeed) % 101) - ((b.id * 7919 + shuffleSeed) % 101),
          );
          expect(subgroupsOf(shuffled, 0.5).map((g) => g.map((f) => f.id))).toEqual(
            groups.map((g) => g.map((f) => f.id)),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps two faces of one photo apart', () => {
    const [a, b] = faces(3, 1, 2, 0.01) as [FaceVector, FaceVector];
    expect(subgroupsOf([a, { ...b, photoId: a.photoId }], 1).length).toBe(2);
    expect(subgroupsOf([a, b], 1).length).toBe(1);
  });
});

describe('reviewOrder', () => {
  it('lists each unconfirmed face once, farthest from the confirmed faces first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 12 }),
        (seed, confirmedFlags) => {
          const all = faces(seed, 2, 6, 0.1).map((f, i) => ({
            ...f,
            personId: i < 6 ? 1 : 2,
            assignment: confirmedFlags[i % confirmedFlags.length] ? ('confirmed' as const) : ('auto' as const),
          }));
          const { total, shown: order } = reviewOrder(all);
          expect(total).toBe(order.length);
          expect(reviewOrder(all, 2).shown).toEqual(order.slice(0, 2));
          const unconfirmed = all.filter((f) => f.assignment !== 'confirmed').map((f) => f.id);
          expect(order.map((c) => c.faceId).sort((a, b) => a - b)).toEqual(unconfirmed);
          const d = order.map((c) => c.distance);
          expect(d).toEqual([...d].sort((a, b) => b - a));
          for (const c of order) {
            const face = all.find((f) => f.id === c.faceId)!;
            const mine = all.filter((f) => f.personId === face.personId);
            const confirmed = mine.filter((f) => f.assignment === 'confirmed');
            const anchors = confirmed.length ? confirmed : mine;
            let sum = 0;
            for (const a of anchors)
              for (let t = 0; t < a.embedding.length; t++) sum += (a.embedding[t]! - face.embedding[t]!) ** 2;
            expect(c.distance).toBeCloseTo(sum / anchors.length, 5);
            expect(c.references.every((r) => confirmed.some((f) => f.id === r))).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
