/**
 * "Same person" on a suggestion (src-renderer/logic/merge-target.ts): for any pair, the named person absorbs an
 * unnamed one, else the one with more faces; the two ids are the pair's, and the choice does not depend on
 * which side the API put each person.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PersonSummaryDto } from '../../../src-shared/api.js';
import { mergeTarget } from '../../../src-renderer/logic/merge-target.js';

const person = (id: number) =>
  fc.record({
    id: fc.constant(id),
    name: fc.option(fc.constantFrom('Anna', 'Ben'), { nil: null }),
    hidden: fc.boolean(),
    faceCount: fc.integer({ min: 1, max: 50 }),
    confirmedCount: fc.constant(0),
    coverFaceId: fc.constant(null),
  }) as fc.Arbitrary<PersonSummaryDto>;

describe('mergeTarget', () => {
  it('keeps the named person, else the bigger one, whichever side each is on', () => {
    fc.assert(
      fc.property(person(1), person(2), (a, b) => {
        const { targetId, sourceId } = mergeTarget({ a, b });
        expect([targetId, sourceId].sort()).toEqual([1, 2]);
        const target = targetId === 1 ? a : b;
        const source = targetId === 1 ? b : a;
        if (!!a.name !== !!b.name) expect(target.name).not.toBeNull();
        else expect(target.faceCount).toBeGreaterThanOrEqual(source.faceCount);
        if (!!a.name !== !!b.name || a.faceCount !== b.faceCount)
          expect(mergeTarget({ a: b, b: a }).targetId).toBe(targetId);
      }),
    );
  });
});
