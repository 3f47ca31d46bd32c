/**
 * "Is this Alice?" and "Group by similarity" through the real EngineApi over a real SQLite library of synthetic
 * people (test/helpers/synthetic-library.ts):
 * - the review queue lists exactly the faces the grouping put into named, visible people that are not confirmed,
 *   farthest from the person's confirmed faces first (the distance checked against the stored embeddings);
 * - its answers are confirmations and rejections: re-grouping keeps a "yes" in the person and never brings a
 *   "no" back to it, and undo puts the face back in the queue;
 * - a person that is really three people (a wrong merge) comes out as those three sub-groups, largest first,
 *   the same every time, and one Move of a sub-group splits it off for good.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineApi } from '../../../../src-main/app/engine-api.js';
import type { ReviewQueueDto } from '../../../../src-shared/api.js';
import { addFacesLike, syntheticLibrary, type SyntheticLibrary } from '../../../helpers/synthetic-library.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir('face-review-');
afterAll(() => tmp.cleanup());

const sorted = (ids: readonly number[]): number[] => [...ids].sort((a, b) => a - b);

function sqDist(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += (a[t]! - b[t]!) ** 2;
  return s;
}

describe('review queue ("Is this Alice?") on a real library', () => {
  let library: SyntheticLibrary;
  let api: EngineApi;
  let alice: number;
  let bob: number;
  let carol: number;
  let dan: number;
  /** Faces added after naming and placed by re-grouping, per person. */
  const later: Record<'alice' | 'bob' | 'carol' | 'dan', number[]> = { alice: [], bob: [], carol: [], dan: [] };

  const embedding = (faceId: number): Float32Array => api.people.lib.faces.get(faceId)!.embedding;
  const personOf = async (faceId: number): Promise<number | null> => {
    const photoId = api.people.lib.faces.get(faceId)!.photoId;
    return (await api.getPhoto({ photoId })).faces.find((f) => f.id === faceId)!.personId;
  };

  beforeAll(async () => {
    library = await syntheticLibrary(join(tmp.dir, 'queue'), {
      people: [
        { name: 'Alice', faces: 8 },
        { name: 'Bob', faces: 6 },
        { name: null, faces: 5 },
        { name: 'Dan', faces: 4 },
      ],
      unsorted: 3,
    });
    api = library.api;
    [alice, bob, carol, dan] = library.personIds as [number, number, number, number];
    await api.setHidden({ personId: dan, hidden: true });
    // New photos indexed after naming: typical faces, wider ones, and look-alikes of Bob (the doubtful ones).
    later.alice.push(...(await addFacesLike(library, 0, 2, { seed: 1 })));
    later.alice.push(...(await addFacesLike(library, 0, 2, { sigma: 0.013, seed: 2 })));
    later.alice.push(...(await addFacesLike(library, 0, 2, { toward: 1, share: 0.4, seed: 3 })));
    later.bob.push(...(await addFacesLike(library, 1, 3, { seed: 4 })));
    later.carol.push(...(await addFacesLike(library, 2, 3, { seed: 5 })));
    later.dan.push(...(await addFacesLike(library, 3, 2, { seed: 6 })));
    await api.recluster({});
    for (const [who, id] of [
      ['alice', alice],
      ['bob', bob],
      ['carol', carol],
      ['dan', dan],
    ] as const) {
      for (const f of later[who]) expect(await personOf(f), `${who}'s new face ${f}`).toBe(id);
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  it('lists only the unconfirmed faces of named, visible people, most doubtful first', async () => {
    const queue = await api.reviewQueue({});
    expect(queue.total).toBe(later.alice.length + later.bob.length);
    expect(sorted(queue.items.map((i) => i.face.id))).toEqual(sorted([...later.alice, ...later.bob]));
    for (const item of queue.items) {
      expect(item.face.assignment).toBe('auto');
      expect(item.person.name).not.toBeNull();
      expect(item.face.personId).toBe(item.person.id);
      // The distance is the mean squared L2 to the person's confirmed faces, as stored.
      const confirmed = (await api.getPerson({ personId: item.person.id })).faces.filter(
        (f) => f.assignment === 'confirmed',
      );
      const mean =
        confirmed.reduce((s, f) => s + sqDist(embedding(item.face.id), embedding(f.id)), 0) / confirmed.length;
      expect(item.distance).toBeCloseTo(mean, 5);
      // The references are confirmed faces of that person, the most alike first.
      expect(item.references.length).toBe(3);
      const ids = new Set(confirmed.map((f) => f.id));
      for (const r of item.references) expect(ids.has(r)).toBe(true);
      const d = item.references.map((r) => sqDist(embedding(item.face.id), embedding(r)));
      expect(d).toEqual([...d].sort((a, b) => a - b));
    }
    const distances = queue.items.map((i) => i.distance);
    expect(distances).toEqual([...distances].sort((a, b) => b - a));
    // Bob's look-alikes in Alice are the most doubtful of all.
    expect(sorted(queue.items.slice(0, 2).map((i) => i.face.id))).toEqual(sorted(later.alice.slice(4)));
  });

  it('limits the items, not the total; one person, named or not, hidden or not, on request', async () => {
    const first = await api.reviewQueue({ limit: 2 });
    expect(first.total).toBe(later.alice.length + later.bob.length);
    expect(first.items.map((i) => i.face.id)).toEqual(
      (await api.reviewQueue({})).items.slice(0, 2).map((i) => i.face.id),
    );
    const ofBob = await api.reviewQueue({ personId: bob });
    expect(sorted(ofBob.items.map((i) => i.face.id))).toEqual(sorted(later.bob));
    expect(sorted((await api.reviewQueue({ personId: dan })).items.map((i) => i.face.id))).toEqual(sorted(later.dan));
    // Carol was never named, so nothing of hers is confirmed: her faces are measured against all her faces.
    const ofCarol = await api.reviewQueue({ personId: carol });
    expect(ofCarol.total).toBe(5 + later.carol.length);
    expect(ofCarol.items.every((i) => i.references.length === 0)).toBe(true);
    await expect(api.reviewQueue({ personId: 999_999 })).rejects.toThrow(/no person/);
    await expect(api.call('reviewQueue', { limit: -1 })).rejects.toThrow(/negative/);
  });

  it('answers are confirmations and rejections that re-grouping honours; undo brings the face back', async () => {
    const before: ReviewQueueDto = await api.reviewQueue({ personId: alice });
    const [no, yes] = before.items as [ReviewQueueDto['items'][number], ReviewQueueDto['items'][number]];
    await api.rejectFaces({ faceIds: [no.face.id], personId: alice });
    await api.confirmFaces({ faceIds: [yes.face.id], personId: alice });
    const after = await api.reviewQueue({ personId: alice });
    expect(after.total).toBe(before.total - 2);
    expect(after.items.map((i) => i.face.id)).not.toContain(no.face.id);
    expect(after.items.map((i) => i.face.id)).not.toContain(yes.face.id);
    // Re-grouping (at a looser threshold too) keeps the "yes" in Alice, confirmed, and the "no" out of her.
    for (const threshold of [undefined, 0.3]) {
      await api.recluster(threshold === undefined ? {} : { threshold });
      expect(await personOf(yes.face.id)).toBe(alice);
      expect(await personOf(no.face.id)).not.toBe(alice);
      const queue = await api.reviewQueue({});
      expect(queue.items.some((i) => i.face.id === no.face.id && i.person.id === alice)).toBe(false);
      expect(queue.items.some((i) => i.face.id === yes.face.id)).toBe(false);
    }
    const aliceFaces = (await api.getPerson({ personId: alice })).faces;
    expect(aliceFaces.find((f) => f.id === yes.face.id)?.assignment).toBe('confirmed');
    // Undo the two re-groupings and the two answers: the faces are back in Alice's queue.
    for (let i = 0; i < 4; i++) await api.undo();
    const again = await api.reviewQueue({ personId: alice });
    expect(again.total).toBe(before.total);
    expect(sorted(again.items.map((i) => i.face.id))).toEqual(sorted(before.items.map((i) => i.face.id)));
  });
});

describe('sub-groups of a person ("Group by similarity") on a real library', () => {
  let library: SyntheticLibrary;
  let api: EngineApi;
  let people: number[];

  beforeAll(async () => {
    library = await syntheticLibrary(join(tmp.dir, 'groups'), {
      people: [
        { name: null, faces: 4 },
        { name: null, faces: 6 },
        { name: null, faces: 5 },
        { name: 'Erin', faces: 5 },
      ],
    });
    api = library.api;
    people = library.personIds;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('a person that is really three people splits into them, largest first, the same every time', async () => {
    // A wrong merge: three people in one, every face confirmed by the merge and the naming.
    await api.mergePeople({ targetId: people[0]!, sourceIds: [people[1]!, people[2]!] });
    await api.renamePerson({ personId: people[0]!, name: 'Mixed' });
    const groups = await api.personSubgroups({ personId: people[0]! });
    expect(groups.person.faceCount).toBe(15);
    expect(groups.groups.map((g) => g.faces.length)).toEqual([6, 5, 4]);
    expect(groups.groups.map((g) => sorted(g.faces.map((f) => f.id)))).toEqual(
      [1, 2, 0].map((i) => sorted(library.faceIds[i]!)),
    );
    for (const g of groups.groups) expect(g.distanceToRest).toBeGreaterThan(groups.threshold);
    expect(groups.otherModel).toEqual([]);
    expect(await api.personSubgroups({ personId: people[0]! })).toEqual(groups);
    // One person alone is one group.
    const erin = await api.personSubgroups({ personId: people[3]! });
    expect(erin.groups.map((g) => g.faces.length)).toEqual([5]);
    expect(erin.groups[0]!.distanceToRest).toBeNull();
    await expect(api.personSubgroups({ personId: 999_999 })).rejects.toThrow(/no person/);
  });

  it('one Move of a sub-group splits it off, and re-grouping keeps it split', async () => {
    const mixed = people[0]!;
    const groups = await api.personSubgroups({ personId: mixed });
    const second = groups.groups[1]!.faces.map((f) => f.id);
    const moved = await api.moveFaces({ faceIds: second, to: { newPerson: true, name: 'Split off' } });
    const split = await api.getPerson({ personId: moved.personId });
    expect(sorted(split.faces.map((f) => f.id))).toEqual(sorted(second));
    await api.recluster({});
    expect(sorted((await api.getPerson({ personId: moved.personId })).faces.map((f) => f.id))).toEqual(sorted(second));
    const left = await api.personSubgroups({ personId: mixed });
    expect(left.groups.map((g) => g.faces.length)).toEqual([6, 4]);
  });
});
