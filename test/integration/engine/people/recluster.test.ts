/**
 * PeopleService.recluster / assignNew over real SQLite files and real (drawn) images: the user's decisions
 * are honoured and survive every re-cluster; the result does not depend on indexing order.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeopleService } from '../../../../src-main/engine/people/people-service.js';
import { Rng } from '../../../../src-shared/random.js';
import { tempDir } from '../../../helpers/tmp.js';
import { makePhoto } from '../../../helpers/images.js';
import {
  A,
  B,
  C,
  dump,
  faceAt,
  familyPlan,
  indexInOrder,
  NoisyPipeline,
  peopleByKeys,
  PHOTO_SIZE,
  writePhotos,
} from '../../../helpers/people-library.js';

const tmp = tempDir('people-recluster-');
const photos = join(tmp.dir, 'photos');
const plan = familyPlan();
const names = plan.map((p) => p.name);

beforeAll(async () => {
  await writePhotos(photos, plan);
});
afterAll(() => tmp.cleanup());

describe('recluster', () => {
  it('finds the three people, deterministically whatever the indexing order', async () => {
    const partitions: string[][] = [];
    for (const [i, order] of [names, new Rng(7).shuffled(names), new Rng(99).shuffled(names)].entries()) {
      const lib = await indexInOrder(join(tmp.dir, `order${i}.db`), photos, order);
      const people = new PeopleService(lib.library);
      const r = people.recluster();
      expect(r.people).toBe(3);
      partitions.push(peopleByKeys(lib.library));
      // Same-photo faces are never together.
      for (const p of people.listPeople()) {
        const detail = people.getPerson(p.id);
        const photoIds = detail.faces.map((f) => f.photoId);
        expect(new Set(photoIds).size).toBe(photoIds.length);
      }
      await lib.close();
    }
    expect(partitions[1]).toEqual(partitions[0]);
    expect(partitions[2]).toEqual(partitions[0]);
    const sizes = partitions[0]!.map((g) => g.split(' ').length).sort();
    expect(sizes).toEqual([4, 5, 7]); // C: 3 + g1; B: 4 + g0; A: 5 + g0 + g1
  });

  it('keeps confirmed faces with their person, never returns rejected faces, keeps names', async () => {
    const lib = await indexInOrder(join(tmp.dir, 'decisions.db'), photos, names);
    const people = new PeopleService(lib.library);
    people.recluster();
    const [a0, a1, a2] = [
      faceAt(lib.library, 'a0.png', 0),
      faceAt(lib.library, 'a1.png', 1),
      faceAt(lib.library, 'a2.png', 2),
    ];
    const g1c = faceAt(lib.library, 'g1.png', 10);
    const anna = lib.face(a0)!.personId!;
    const oldC = lib.face(g1c)!.personId!;
    people.rename(anna, 'Anna');
    people.confirmFaces([a0, a1], anna);
    people.rejectFaces([a2], anna);
    expect(lib.face(a2)!.personId).toBeNull(); // nobody else is close: Unsorted
    const { personId: cleo } = people.moveFaces([g1c], { newPerson: true, name: 'Cleo' });
    const decisionsBefore = lib.library.decisions.list();
    // Naming Anna confirmed every face she held (A's 7); a2 was rejected since.
    const decided = decisionsBefore.map((d) => [d.faceId, d.personId, d.decision]);
    expect(decided.filter(([, p, d]) => p === anna && d === 'confirmed')).toHaveLength(6);
    expect(decided).toEqual(
      expect.arrayContaining([
        [a0, anna, 'confirmed'],
        [a1, anna, 'confirmed'],
        [a2, anna, 'rejected'],
        [g1c, oldC, 'rejected'],
        [g1c, cleo, 'confirmed'],
      ]),
    );

    for (const threshold of [0.05, 1.1, 3.9, 2, 1.1]) {
      people.recluster({ threshold });
      expect(lib.face(a0)).toMatchObject({ personId: anna, assignment: 'confirmed' });
      expect(lib.face(a1)).toMatchObject({ personId: anna, assignment: 'confirmed' });
      expect(lib.face(a2)!.personId).not.toBe(anna);
      expect(lib.face(g1c)).toMatchObject({ personId: cleo, assignment: 'confirmed' });
      expect(lib.library.people.get(anna)?.name).toBe('Anna');
      expect(lib.library.people.get(cleo)?.name).toBe('Cleo');
      expect(lib.library.decisions.list()).toEqual(decisionsBefore);
      for (const p of people.listPeople()) {
        const photoIds = people.getPerson(p.id).faces.map((f) => f.photoId);
        expect(new Set(photoIds).size).toBe(photoIds.length);
      }
    }
    // a3 was confirmed for Anna when she was named.
    expect(lib.face(faceAt(lib.library, 'a3.png', 3))).toMatchObject({ personId: anna, assignment: 'confirmed' });
    expect(people.settings().threshold).toBe(1.1);
    await lib.close();
  });

  it('keeps person ids stable: a second recluster changes nothing, a split keeps the untouched people', async () => {
    const lib = await indexInOrder(join(tmp.dir, 'stable.db'), photos, names);
    const people = new PeopleService(lib.library);
    people.recluster();
    const before = dump(lib.library);
    people.recluster();
    expect(dump(lib.library)).toEqual(before);
    const b0 = faceAt(lib.library, 'b0.png', 5);
    const personB = lib.face(b0)!.personId!;
    const others = people.listPeople().filter((p) => p.id !== personB);
    people.moveFaces([b0], { newPerson: true });
    people.recluster();
    for (const p of others) expect(people.getPerson(p.id).person.faceCount).toBe(p.faceCount);
    expect(people.getPerson(personB).person.faceCount).toBe(4);
    await lib.close();
  });

  it('a named person whose faces were all confirmed survives any threshold, and new faces join it', async () => {
    const lib = await indexInOrder(join(tmp.dir, 'named.db'), photos, names);
    const people = new PeopleService(lib.library);
    people.recluster();
    const c0 = faceAt(lib.library, 'c0.png', 9);
    const personC = lib.face(c0)!.personId!;
    // Confirm one face before naming, so that naming confirms the other three.
    people.confirmFaces([c0], personC);
    people.rename(personC, 'Cleo');
    const cleo = { name: 'Cleo', faceCount: 4, confirmedCount: 4 };
    people.recluster({ threshold: 0.0001 });
    expect(people.listPeople().find((p) => p.id === personC)).toMatchObject(cleo);
    people.recluster({ threshold: 1.1 });
    expect(people.listPeople().find((p) => p.id === personC)).toMatchObject(cleo);
    // A new photo of C joins Cleo after indexing (within the threshold of her confirmed faces).
    await writePhotos(join(tmp.dir, 'more-c'), [{ name: 'c9.png', faces: [{ cell: 12, identity: C }] }]);
    lib.addFolder(join(tmp.dir, 'more-c'));
    await lib.index(new NoisyPipeline());
    people.assignNew();
    expect(people.listPeople().find((p) => p.id === personC)).toMatchObject({ faceCount: 5, confirmedCount: 4 });
    await lib.close();
  });

  it('two faces of one photo are never one person unless the user says so', async () => {
    const dir = join(tmp.dir, 'mirror');
    // A mirror photo: A twice in one photo, plus A alone elsewhere.
    const mirrorPlan = [
      {
        name: 'm0.png',
        faces: [
          { cell: 0, identity: A },
          { cell: 15, identity: A },
        ],
      },
      { name: 'm1.png', faces: [{ cell: 5, identity: A }] },
      { name: 'm2.png', faces: [{ cell: 6, identity: A }] },
    ];
    await writePhotos(dir, mirrorPlan);
    const lib = await indexInOrder(join(tmp.dir, 'mirror.db'), dir, ['m0.png', 'm1.png', 'm2.png']);
    const people = new PeopleService(lib.library);
    people.recluster();
    const left = faceAt(lib.library, 'm0.png', 0);
    const right = faceAt(lib.library, 'm0.png', 15);
    expect(lib.face(left)!.personId).not.toBe(lib.face(right)!.personId);
    // The user says both are the same person: they stay together through re-clustering.
    const target = lib.face(left)!.personId!;
    people.confirmFaces([left, right], target);
    people.recluster();
    expect(lib.face(right)).toMatchObject({ personId: target, assignment: 'confirmed' });
    expect(lib.face(left)).toMatchObject({ personId: target, assignment: 'confirmed' });
    await lib.close();
  });

  it('after indexing more photos the people equal a full recluster and a fresh library', async () => {
    const first = names.filter((n) => !n.startsWith('c2') && !n.startsWith('a4') && !n.startsWith('g1'));
    const later = names.filter((n) => !first.includes(n));
    const lib = await indexInOrder(join(tmp.dir, 'incremental.db'), photos, first);
    const people = new PeopleService(lib.library);
    people.recluster();
    const a0 = faceAt(lib.library, 'a0.png', 0);
    const personA = lib.face(a0)!.personId!;
    people.rename(personA, 'Anna');
    people.confirmFaces([a0], personA);
    for (const name of later)
      await lib.index(new (await import('../../../helpers/people-library.js')).NoisyPipeline(), {
        paths: [join(photos, name)],
      });
    const r = people.assignNew();
    expect(r.reclustered).toBe(true);
    expect(people.assignNew().reclustered).toBe(false); // nothing new since
    const incremental = peopleByKeys(lib.library);
    people.recluster();
    expect(peopleByKeys(lib.library)).toEqual(incremental);

    const fresh = await indexInOrder(join(tmp.dir, 'fresh.db'), photos, new Rng(3).shuffled(names));
    const freshPeople = new PeopleService(fresh.library);
    freshPeople.recluster();
    const fa0 = faceAt(fresh.library, 'a0.png', 0);
    freshPeople.rename(fresh.face(fa0)!.personId!, 'Anna');
    freshPeople.confirmFaces([fa0], fresh.face(fa0)!.personId!);
    freshPeople.recluster();
    expect(peopleByKeys(fresh.library)).toEqual(incremental);
    await lib.close();
    await fresh.close();
  });

  it('decisions survive re-indexing an edited photo and a re-cluster afterwards', async () => {
    const lib = await indexInOrder(join(tmp.dir, 'reindex.db'), photos, names);
    const people = new PeopleService(lib.library);
    people.recluster();
    const g0a = faceAt(lib.library, 'g0.png', 0);
    const g0b = faceAt(lib.library, 'g0.png', 3);
    const personB = lib.face(g0b)!.personId!;
    // The user confirms the A face of the group photo as B (their call), and rejects the B face for B.
    people.moveFaces([g0a], { personId: personB });
    people.rejectFaces([g0b], personB);
    const decisions = lib.library.decisions.list().map((d) => ({ person: d.personId, decision: d.decision }));
    // Edit the photo (new bytes, same faces): re-analysed, decisions carried to the new face rows.
    await makePhoto(join(photos, 'g0.png'), {
      faces: plan.find((p) => p.name === 'g0.png')!.faces,
      seed: 77,
      size: PHOTO_SIZE,
    });
    const summary = await lib.index(new (await import('../../../helpers/people-library.js')).NoisyPipeline());
    expect(summary.analysed).toBe(1);
    expect(summary.decisionsCarried).toBeGreaterThan(0);
    expect(lib.status().orphanedDecisions).toBe(0);
    people.assignNew();
    people.recluster();
    const newA = faceAt(lib.library, 'g0.png', 0);
    const newB = faceAt(lib.library, 'g0.png', 3);
    expect(newA).not.toBe(g0a);
    expect(lib.face(newA)).toMatchObject({ personId: personB, assignment: 'confirmed' });
    expect(lib.face(newB)!.personId).not.toBe(personB);
    expect(lib.library.decisions.list().map((d) => ({ person: d.personId, decision: d.decision }))).toEqual(decisions);
    await lib.close();
  });
});

void A;
void B;
void C;
