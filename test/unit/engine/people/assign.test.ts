import { describe, expect, it } from 'vitest';
import { FaceAssigner, type KnownPerson } from '../../../../src-main/engine/people/assign.js';
import { onCircle } from '../../../helpers/circle-faces.js';

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
