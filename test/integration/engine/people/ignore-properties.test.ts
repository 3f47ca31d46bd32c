/**
 * Ignored faces ("not a face", "ignore this stranger") through the people service over a real SQLite library,
 * as properties: after any sequence of user actions (name, confirm, move, not-this-person, ignore, un-ignore,
 * re-group),
 * - ignoring faces never changes the person of any other confirmed face;
 * - ignore (of faces, or of whole people) followed by undo restores every row exactly, and so does un-ignore;
 * - re-grouping never assigns an ignored face, never lists it in Unsorted, and stays idempotent;
 * - an ignored face links no one: re-grouping gives the same people as a library without that face.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { PeopleService } from '../../../../src-main/engine/people/people-service.js';
import type { IgnoreReason } from '../../../../src-main/engine/people/types.js';
import { identityClustersLibrary } from '../../../helpers/identity-clusters.js';
import { tempDir } from '../../../helpers/tmp.js';
import { dump } from '../../../helpers/people-library.js';

const tmp = tempDir('ignore-properties-');
afterAll(() => tmp.cleanup());
let runs = 0;

const library = (seed: number, identities: number, perIdentity: number, spread: number): LibraryService =>
  identityClustersLibrary(tmp.dir, `lib${runs++}.db`, { seed, identities, perIdentity, spread, groupPhotos: false });

type Action =
  | { kind: 'name'; pick: number }
  | { kind: 'confirm'; pick: number; faces: number[] }
  | { kind: 'move'; faces: number[]; pick: number; newPerson: boolean }
  | { kind: 'reject'; pick: number; faces: number[] }
  | { kind: 'ignore'; faces: number[]; reason: IgnoreReason }
  | { kind: 'ignore-person'; pick: number; reason: IgnoreReason }
  | { kind: 'unignore'; faces: number[] }
  | { kind: 'regroup'; threshold: number };

const faceList = fc.array(fc.nat(), { minLength: 1, maxLength: 4 });
const reason = fc.constantFrom<IgnoreReason>('not-a-face', 'stranger');
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('name' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('confirm' as const), pick: fc.nat(), faces: faceList }),
  fc.record({ kind: fc.constant('move' as const), faces: faceList, pick: fc.nat(), newPerson: fc.boolean() }),
  fc.record({ kind: fc.constant('reject' as const), pick: fc.nat(), faces: faceList }),
  fc.record({ kind: fc.constant('ignore' as const), faces: faceList, reason }),
  fc.record({ kind: fc.constant('ignore-person' as const), pick: fc.nat(), reason }),
  fc.record({ kind: fc.constant('unignore' as const), faces: faceList }),
  fc.record({ kind: fc.constant('regroup' as const), threshold: fc.double({ min: 0.05, max: 1.5, noNaN: true }) }),
);

function perform(people: PeopleService, svc: LibraryService, faceIds: number[], a: Action): void {
  const list = people.listPeople({ includeHidden: true }).filter((p) => p.faceCount > 0);
  const person = 'pick' in a && list.length > 0 ? list[a.pick % list.length] : undefined;
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
    case 'ignore':
      people.ignoreFaces(faces, a.reason);
      return;
    case 'ignore-person':
      if (person) people.ignorePeople([person.id], a.reason);
      return;
    case 'unignore':
      if (svc.library.ignored.inScope(faces).length > 0) people.unignoreFaces(faces);
      return;
    case 'regroup':
      people.recluster({ threshold: a.threshold });
  }
}

function facesById(svc: LibraryService): Map<number, { person: number | null; assignment: string | null }> {
  const rows = svc.library.db.prepare('SELECT id, person_id, assignment FROM faces').all() as {
    id: number;
    person_id: number | null;
    assignment: string | null;
  }[];
  return new Map(rows.map((r) => [r.id, { person: r.person_id, assignment: r.assignment }]));
}

/** The people as sets of faces (ids aside): what "the same grouping" means across two libraries. */
function partition(svc: LibraryService): string[] {
  const groups = new Map<number, number[]>();
  for (const [id, f] of facesById(svc))
    if (f.person !== null) groups.set(f.person, [...(groups.get(f.person) ?? []), id]);
  return [...groups.values()].map((g) => g.sort((a, b) => a - b).join(',')).sort();
}

const setup = {
  seed: fc.integer({ min: 1, max: 1 << 30 }),
  identities: fc.integer({ min: 2, max: 5 }),
  perIdentity: fc.integer({ min: 2, max: 6 }),
  spread: fc.double({ min: 0.1, max: 0.5, noNaN: true }),
};

describe('ignored faces (people service, real SQLite)', () => {
  it('never move a confirmed face, undo exactly, and re-grouping never assigns them', () => {
    fc.assert(
      fc.property(
        fc.record(setup),
        fc.array(action, { maxLength: 8 }),
        faceList,
        reason,
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        ({ seed, identities, perIdentity, spread }, actions, toIgnore, why, threshold) => {
          const svc = library(seed, identities, perIdentity, spread);
          try {
            const people = new PeopleService(svc.library);
            people.recluster({ threshold: 0.5 });
            const faceIds = [...facesById(svc).keys()].sort((x, y) => x - y);
            for (const a of actions) perform(people, svc, faceIds, a);

            // Ignoring faces never changes the person of any other confirmed face; undo restores exactly.
            const ignored = [...new Set(toIgnore.map((i) => faceIds[i % faceIds.length] as number))];
            const before = dump(svc.library);
            const facesBefore = facesById(svc);
            people.ignoreFaces(ignored, why);
            const facesAfter = facesById(svc);
            for (const [id, f] of facesBefore) {
              if (ignored.includes(id)) expect(facesAfter.get(id)?.person).toBeNull();
              else if (f.assignment === 'confirmed') expect(facesAfter.get(id)).toEqual(f);
            }
            expect(svc.library.ignored.inScope(ignored).map((i) => i.reason)).toEqual(ignored.map(() => why));
            people.undo();
            expect(dump(svc.library)).toEqual(before);

            // So does ignoring a whole person, and un-ignoring.
            const someone = people.listPeople({ includeHidden: true }).find((p) => p.faceCount > 0);
            if (someone) {
              people.ignorePeople([someone.id], why);
              expect(people.getPerson(someone.id).faces).toEqual([]);
              people.undo();
              expect(dump(svc.library)).toEqual(before);
            }
            people.ignoreFaces(ignored, why);
            const whileIgnored = dump(svc.library);
            people.unignoreFaces(ignored);
            expect(svc.library.ignored.inScope(ignored)).toEqual([]);
            people.undo();
            expect(dump(svc.library)).toEqual(whileIgnored);

            // Re-grouping never assigns an ignored face, never lists it in Unsorted, and is idempotent.
            const all = new Set(svc.library.ignored.list().map((i) => i.faceId));
            people.recluster({ threshold });
            const settled = dump(svc.library);
            for (const [id, f] of facesById(svc)) if (all.has(id)) expect(f.person).toBeNull();
            expect(people.unsortedFaces(10_000).filter((f) => all.has(f.id))).toEqual([]);
            expect(people.unsortedCount()).toBe(people.unsortedFaces(10_000).length);
            people.recluster();
            expect(dump(svc.library)).toEqual(settled);
          } finally {
            svc.library.close();
          }
        },
      ),
      { numRuns: 30, seed: 20261202 },
    );
  });

  it('an ignored face links no one: the people are those of a library without it', () => {
    fc.assert(
      fc.property(
        fc.record(setup),
        faceList,
        reason,
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        ({ seed, identities, perIdentity, spread }, toIgnore, why, threshold) => {
          const withIgnored = library(seed, identities, perIdentity, spread);
          const without = library(seed, identities, perIdentity, spread);
          try {
            const faceIds = [...facesById(withIgnored).keys()].sort((x, y) => x - y);
            const ignored = [...new Set(toIgnore.map((i) => faceIds[i % faceIds.length] as number))];
            const a = new PeopleService(withIgnored.library);
            a.ignoreFaces(ignored, why);
            a.recluster({ threshold });
            for (const id of ignored) without.library.faces.delete(id);
            new PeopleService(without.library).recluster({ threshold });
            expect(partition(withIgnored)).toEqual(partition(without));
          } finally {
            withIgnored.library.close();
            without.library.close();
          }
        },
      ),
      { numRuns: 30, seed: 20261203 },
    );
  });
});
