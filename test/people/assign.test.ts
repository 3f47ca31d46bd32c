import { describe, expect, it } from 'vitest';
import { FaceAssigner, incrementalUpdate, type KnownPerson } from '../../src-main/people/assign.js';
import { FaceClusterer } from '../../src-main/people/clusterer.js';
import { syntheticIdentities } from '../../src-main/people/synthetic.js';
import { onCircle, shuffled } from './helpers.js';

const face = (id: number, deg: number, photoId?: string) => ({ id, embedding: onCircle(deg), photoId });

// Ann around 0 degrees, Ben around 60 degrees (D between them ~1).
const people: KnownPerson[] = [
  { personId: 'ann', faces: [face(1, 0, 'a'), face(2, 4, 'b'), face(3, -4, 'c')] },
  { personId: 'ben', faces: [face(4, 60, 'd'), face(5, 64, 'e')], rejected: [12] },
];

describe('FaceAssigner', () => {
  it('assigns by k-NN vote within the threshold and leaves far faces unassigned', () => {
    const r = new FaceAssigner({ threshold: 0.3, k: 3 }).assign(
      [face(10, 2, 'x'), face(11, 62, 'y'), face(13, 180, 'z')],
      people,
    );
    expect(r.assigned.map((a) => [a.faceId, a.personId, a.votes])).toEqual([
      [10, 'ann', 3],
      [11, 'ben', 2], // the third neighbour (Ann at 4 deg) is 58 degrees away: D 0.94 > 0.3, no vote
    ]);
    expect(r.unassigned).toEqual([13]);
  });

  it('counts votes, not the single nearest face', () => {
    // A face at 33 deg: Ann's faces (0, 4, -4) are 33, 29, 37 degrees away, Ben's (60, 64) 27 and 31. With
    // k = 5 and a wide threshold Ann has 3 voters and Ben 2: Ann wins, although Ben holds the nearest face.
    const r = new FaceAssigner({ threshold: 2, k: 5 }).assign([face(20, 33, 'q')], people);
    expect(r.assigned[0]).toMatchObject({ faceId: 20, personId: 'ann', votes: 3 });
  });

  it('never assigns a face to a person it was rejected for, nor next to a face of the same photo', () => {
    const r = new FaceAssigner({ threshold: 0.3, k: 3 }).assign([face(12, 62, 'y')], people);
    expect(r.assigned).toEqual([]);
    expect(r.unassigned).toEqual([12]);
    const same = new FaceAssigner({ threshold: 0.3, k: 3 }).assign([face(14, 1, 'a')], people); // photo 'a' is Ann's
    expect(same.unassigned).toEqual([14]);
  });

  it('gives a contested person to the closer of two faces of one new photo, whatever the input order', () => {
    const batch = [face(30, 10, 'g'), face(31, 3, 'g')];
    for (const order of [batch, [...batch].reverse()]) {
      const r = new FaceAssigner({ threshold: 0.3, k: 3 }).assign(order, people);
      expect(r.assigned.map((a) => [a.faceId, a.personId])).toEqual([[31, 'ann']]);
      expect(r.unassigned).toEqual([30]);
    }
  });

  it('skips faces below the quality floor', () => {
    const r = new FaceAssigner({ threshold: 0.3, minQuality: 0.5 }).assign(
      [{ ...face(40, 1, 'k'), quality: 0.1 }],
      people,
    );
    expect(r.unassigned).toEqual([40]);
  });
});

describe('incrementalUpdate', () => {
  it('assigns known identities and clusters the rest into new people, independent of order', () => {
    const s = syntheticIdentities({ identities: 12, perIdentity: 10, seed: 17 });
    // Identities 0-5 are existing people (first 6 faces each); everything else arrives as new faces.
    const known: KnownPerson[] = [];
    const fresh: typeof s.faces = [];
    for (let c = 0; c < 12; c++) {
      const fs = s.faces.slice(c * 10, c * 10 + 10);
      if (c < 6) {
        known.push({ personId: `p${c}`, faces: fs.slice(0, 6) });
        fresh.push(...fs.slice(6));
      } else fresh.push(...fs);
    }
    const run = (faces: typeof fresh) => incrementalUpdate(faces, known, [], { threshold: 1.1 });
    const r = run(fresh);
    // Every new face of identities 0-5 joined its own person.
    expect(r.assigned).toHaveLength(24);
    for (const a of r.assigned) expect(a.personId).toBe(`p${s.truth[a.faceId as number]}`);
    // Identities 6-11 became six new clusters of 10.
    expect(r.clustering.clusters.map((c) => c.faces.length)).toEqual([10, 10, 10, 10, 10, 10]);
    expect(r.clustering.unsorted).toEqual([]);
    const again = run(shuffled(fresh, 8));
    expect(again.assigned).toEqual(r.assigned);
    expect(again.clustering.clusters).toEqual(r.clustering.clusters);
    // A full re-cluster from scratch finds the same 12 groups.
    const full = new FaceClusterer({ threshold: 1.1 }).fit(s.faces);
    expect(full.clusters).toHaveLength(12);
  });
});
