/**
 * The re-grouping contract through the people service over a real SQLite library, as properties: after any
 * sequence of user actions (name, confirm, move, not-this-person, merge, re-group at a threshold),
 * - re-grouping at the current threshold changes nothing (idempotence);
 * - the threshold preview is exactly what Apply does (people shown, faces that change person);
 * - undoing a re-grouping restores every row exactly;
 * - confirmed faces stay with their person, rejected faces never return to it.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { PeopleService } from '../../../../src-main/engine/people/people-service.js';
import { identityClustersLibrary } from '../../../helpers/identity-clusters.js';
import { tempDir } from '../../../helpers/tmp.js';
import { dump } from '../../../helpers/people-library.js';

const tmp = tempDir('regroup-contract-');
afterAll(() => tmp.cleanup());
let runs = 0;

const library = (seed: number, identities: number, perIdentity: number, spread: number): LibraryService =>
  identityClustersLibrary(tmp.dir, `lib${runs++}.db`, { seed, identities, perIdentity, spread, groupPhotos: true });

type Action =
  | { kind: 'name'; pick: number }
  | { kind: 'confirm'; pick: number; faces: number[] }
  | { kind: 'move'; faces: number[]; pick: number; newPerson: boolean }
  | { kind: 'reject'; pick: number; faces: number[] }
  | { kind: 'merge'; pick: number; other: number }
  | { kind: 'regroup'; threshold: number };

const faceList = fc.array(fc.nat(), { minLength: 1, maxLength: 4 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('name' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('confirm' as const), pick: fc.nat(), faces: faceList }),
  fc.record({ kind: fc.constant('move' as const), faces: faceList, pick: fc.nat(), newPerson: fc.boolean() }),
  fc.record({ kind: fc.constant('reject' as const), pick: fc.nat(), faces: faceList }),
  fc.record({ kind: fc.constant('merge' as const), pick: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('regroup' as const), threshold: fc.double({ min: 0.05, max: 1.5, noNaN: true }) }),
);

/** Applies an action to real ids (indices are taken modulo the current people and faces). */
function perform(people: PeopleService, faceIds: number[], a: Action): void {
  const list = people.listPeople({ includeHidden: true });
  const person = list.length > 0 ? list[a.kind === 'regroup' ? 0 : a.pick % list.length] : undefined;
  const faces = 'faces' in a ? [...new Set(a.faces.map((i) => faceIds[i % faceIds.length] as number))] : [];
  switch (a.kind) {
    case 'name':
      if (person) people.rename(person.id, `Name ${person.id}`);
      return;
    case 'confirm':
      if (person) people.confirmFaces(faces, person.id);
      return;
    case 'move':
      people.moveFaces(faces, a.newPerson || !person ? { newPerson: true } : { personId: person.id });
      return;
    case 'reject':
      if (person) people.rejectFaces(faces, person.id);
      return;
    case 'merge': {
      const other = list[a.other % Math.max(1, list.length)];
      if (person && other && other.id !== person.id) people.merge(person.id, [other.id]);
      return;
    }
    case 'regroup':
      people.recluster({ threshold: a.threshold });
  }
}

function personOfEachFace(svc: LibraryService): Map<number, number | null> {
  const rows = svc.library.db.prepare('SELECT id, person_id FROM faces').all() as {
    id: number;
    person_id: number | null;
  }[];
  return new Map(rows.map((r) => [r.id, r.person_id]));
}

describe('re-grouping contract (people service, real SQLite)', () => {
  it('idempotent, previews come true, undo restores exactly, decisions hold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1 << 30 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 2, max: 7 }),
        fc.double({ min: 0.1, max: 0.5, noNaN: true }),
        fc.array(action, { maxLength: 8 }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        (seed, identities, perIdentity, spread, actions, threshold) => {
          const svc = library(seed, identities, perIdentity, spread);
          try {
            const people = new PeopleService(svc.library);
            people.recluster({ threshold: 0.5 });
            const faceIds = [...personOfEachFace(svc).keys()].sort((x, y) => x - y);
            for (const a of actions) perform(people, faceIds, a);

            // Idempotence: a second re-grouping at the current threshold changes nothing.
            people.recluster();
            const settled = dump(svc.library);
            people.recluster();
            expect(dump(svc.library)).toEqual(settled);

            // The preview is what Apply does.
            const before = personOfEachFace(svc);
            const preview = people.previewThreshold(threshold);
            expect(preview.peopleNow).toBe(people.visiblePeopleCount());
            const applied = people.recluster({ threshold, undoable: true });
            const after = personOfEachFace(svc);
            let moved = 0;
            for (const [f, p] of after) if (before.get(f) !== p) moved++;
            expect(applied.people).toBe(preview.people);
            expect(moved).toBe(preview.facesMoving);

            // Decisions hold: confirmed faces with their person, rejected faces never in it.
            const decisions = svc.library.decisions.list();
            const latest = new Map<number, number>();
            for (const d of [...decisions].sort((x, y) => x.decidedAt - y.decidedAt || x.id - y.id))
              if (d.decision === 'confirmed') latest.set(d.faceId, d.personId);
            for (const d of decisions) {
              if (d.decision === 'rejected') expect(after.get(d.faceId)).not.toBe(d.personId);
            }
            for (const [f, p] of latest) {
              const rejectedLater = decisions.some(
                (d) => d.faceId === f && d.personId === p && d.decision === 'rejected',
              );
              if (!rejectedLater) expect(after.get(f)).toBe(p);
            }

            // Undo restores every row exactly.
            people.undo();
            expect(dump(svc.library)).toEqual(settled);
          } finally {
            svc.library.close();
          }
        },
      ),
      { numRuns: 40, seed: 20261201 },
    );
  });
});
