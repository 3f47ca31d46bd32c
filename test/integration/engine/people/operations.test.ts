/**
 * Operations, undo, suggestions, preview, ROC, Unsorted order, settings and manual faces over a real SQLite
 * library of drawn photos. Undo is checked row for row against a dump taken before the action.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { SUGGESTION_FACES, SUGGESTION_RANGE } from '../../../../src-main/engine/people/merge-suggestions.js';
import { PeopleService } from '../../../../src-main/engine/people/people-service.js';
import { embedManualFace } from '../../../../src-main/engine/vision/manual-face.js';
import { tempDir } from '../../../helpers/tmp.js';
import { dump, faceAt, familyPlan, indexInOrder, NoisyPipeline, writePhotos } from '../../../helpers/people-library.js';

const tmp = tempDir('people-ops-');
const photos = join(tmp.dir, 'photos');
const plan = familyPlan();
const names = plan.map((p) => p.name);
let counter = 0;

async function fresh(): Promise<{ lib: LibraryService; people: PeopleService }> {
  const lib = await indexInOrder(join(tmp.dir, `lib${counter++}.db`), photos, names);
  const people = new PeopleService(lib.library);
  people.recluster();
  return { lib, people };
}

beforeAll(async () => {
  await writePhotos(photos, plan);
});
afterAll(() => tmp.cleanup());

describe('people operations and undo', () => {
  it('every destructive action records its decision and undoes to the exact previous rows', async () => {
    const { lib, people } = await fresh();
    const L = lib.library;
    const a0 = faceAt(L, 'a0.png', 0);
    const b0 = faceAt(L, 'b0.png', 5);
    const c0 = faceAt(L, 'c0.png', 9);
    const anna = lib.face(a0)!.personId!;
    const ben = lib.face(b0)!.personId!;
    const cleo = lib.face(c0)!.personId!;

    const steps: Array<[string, () => unknown]> = [
      ['rename', () => people.rename(anna, 'Anna')],
      ['rename ben', () => people.rename(ben, 'Ben')],
      ['hide', () => people.setHidden(cleo, true)],
      ['cover', () => people.setCover(anna, faceAt(L, 'a3.png', 3))],
      ['confirm', () => people.confirmFaces([a0, faceAt(L, 'a1.png', 1)], anna)],
      ['reject', () => people.rejectFaces([faceAt(L, 'a2.png', 2)], anna)],
      ['move to person', () => people.moveFaces([faceAt(L, 'a4.png', 4)], { personId: ben })],
      ['move to new', () => people.moveFaces([b0], { newPerson: true, name: 'Bea' })],
      ['merge', () => people.merge(ben, [anna])],
      ['merge back', () => people.merge(cleo, [ben])],
    ];
    const dumps: Record<string, unknown[]>[] = [];
    for (const [, step] of steps) {
      dumps.push(dump(L));
      step();
    }
    expect(people.undoStack()).toHaveLength(steps.length);
    expect(people.undoStack()[0]!.label).toMatch(/^Merged Ben into Unnamed #\d+$/);
    // Undo everything, newest first: each undo gives back the rows exactly as they were.
    for (let i = steps.length - 1; i >= 0; i--) {
      const undone = people.undo();
      expect(undone, steps[i]![0]).not.toBeNull();
      expect(dump(L), steps[i]![0]).toEqual(dumps[i]);
    }
    expect(people.undo()).toBeNull();
    await lib.close();
  });

  it('never reuses a person id, so an undo snapshot cannot resurrect someone else', async () => {
    const { lib, people } = await fresh();
    const b0 = faceAt(lib.library, 'b0.png', 5);
    const first = people.moveFaces([b0], { newPerson: true, name: 'New' });
    people.undo();
    expect(lib.library.people.get(first.personId)).toBeUndefined();
    const second = people.moveFaces([b0], { newPerson: true, name: 'Newer' });
    expect(second.personId).toBeGreaterThan(first.personId);
    // Undo after a re-cluster still restores the rows it snapshotted, and the decisions exactly.
    const before = dump(lib.library);
    people.merge(lib.face(faceAt(lib.library, 'a0.png', 0))!.personId!, [second.personId]);
    people.recluster();
    people.undo();
    expect(dump(lib.library).decisions).toEqual(before.decisions);
    // Every person row the merge touched is back as it was (the re-cluster may have added people of its own).
    expect(dump(lib.library).people).toEqual(expect.arrayContaining(before.people!));
    await lib.close();
  });

  it('names follow the one rule for names wherever they enter: cleaned, empty means none, too long refused', async () => {
    const { lib, people } = await fresh();
    const L = lib.library;
    const anna = lib.face(faceAt(L, 'a0.png', 0))!.personId!;
    people.rename(anna, '  Ann\nLee\u202e\u0007 ');
    expect(L.people.get(anna)!.name).toBe('Ann Lee');
    people.rename(anna, '\u0000\u202e \t');
    expect(L.people.get(anna)!.name).toBeNull();
    expect(() => people.rename(anna, 'x'.repeat(201))).toThrow(/too long/);
    expect(L.people.get(anna)!.name).toBeNull();
    const moved = people.moveFaces([faceAt(L, 'b0.png', 5)], { newPerson: true, name: 'Bea\r\nTrix\u2066' });
    expect(L.people.get(moved.personId)!.name).toBe('Bea Trix');
    await lib.close();
  });

  it('move records confirmed for the target and rejected for the source; merge carries decisions', async () => {
    const { lib, people } = await fresh();
    const L = lib.library;
    const a0 = faceAt(L, 'a0.png', 0);
    const b0 = faceAt(L, 'b0.png', 5);
    const anna = lib.face(a0)!.personId!;
    const ben = lib.face(b0)!.personId!;
    people.rename(anna, 'Anna');
    people.confirmFaces([a0], anna);
    const moved = people.moveFaces([faceAt(L, 'a1.png', 1)], { personId: ben });
    expect(moved.personId).toBe(ben);
    const a1 = faceAt(L, 'a1.png', 1);
    expect(L.decisions.listByFace(a1).map((d) => [d.personId, d.decision])).toEqual([
      [anna, 'rejected'],
      [ben, 'confirmed'],
    ]);
    // Merging Anna into Ben: Anna's decisions now name Ben; where a face has both, the newer wins.
    const before = L.decisions.count();
    people.merge(ben, [anna]);
    expect(L.people.get(anna)).toBeUndefined();
    expect(L.people.get(ben)?.name).toBe('Anna'); // the unnamed target takes the source's name
    expect(L.decisions.listByPerson(anna)).toEqual([]);
    // a1: rejected-for-Anna (older) gave way to confirmed-for-Ben; and the merge confirms Ben's auto faces.
    const benAuto = 5; // b0..b3 and the B face of g0 were grouped automatically
    expect(L.decisions.count()).toBe(before - 1 + benAuto);
    expect(L.decisions.listByFace(a1).map((d) => [d.personId, d.decision])).toEqual([[ben, 'confirmed']]);
    expect(lib.face(a0)).toMatchObject({ personId: ben, assignment: 'confirmed' });
    people.recluster();
    expect(lib.face(a0)).toMatchObject({ personId: ben, assignment: 'confirmed' });
    expect(lib.face(a1)).toMatchObject({ personId: ben, assignment: 'confirmed' });
    await lib.close();
  });

  it('reject sends a face to the next best person or to Unsorted, never back', async () => {
    const { lib, people } = await fresh();
    const L = lib.library;
    const a0 = faceAt(L, 'a0.png', 0);
    const a1 = faceAt(L, 'a1.png', 1);
    const anna = lib.face(a0)!.personId!;
    // Split A in two by hand: a0 and a1 in a new person; then reject a2 from Anna: it goes to the new one.
    const { personId: twin } = people.moveFaces([a0, a1], { newPerson: true });
    const a2 = faceAt(L, 'a2.png', 2);
    people.rejectFaces([a2], anna);
    expect(lib.face(a2)).toMatchObject({ personId: twin, assignment: 'auto' });
    people.rejectFaces([a2], twin);
    expect(lib.face(a2)!.personId).toBeNull();
    expect(people.unsortedFaces().map((f) => f.id)).toContain(a2);
    people.recluster();
    expect([anna, twin]).not.toContain(lib.face(a2)!.personId);
    await lib.close();
  });

  it('merge suggestions: close people are suggested, dismissals are remembered across sessions', async () => {
    const { lib, people } = await fresh();
    const L = lib.library;
    const a0 = faceAt(L, 'a0.png', 0);
    const anna = lib.face(a0)!.personId!;
    // Two people of one identity (the user split them, confirming each side).
    const { personId: twin } = people.moveFaces([a0, faceAt(L, 'a1.png', 1)], { newPerson: true });
    people.confirmFaces([faceAt(L, 'a2.png', 2)], anna);
    const suggestions = people.mergeSuggestions();
    expect(suggestions.length).toBeGreaterThanOrEqual(1);
    expect([suggestions[0]!.a.id, suggestions[0]!.b.id].sort()).toEqual([anna, twin].sort());
    expect(suggestions[0]!.distance).toBeLessThan(0.3);
    const threshold = people.settings().threshold;
    for (const [i, s] of suggestions.entries()) {
      expect(s.distance).toBeLessThanOrEqual(threshold * SUGGESTION_RANGE);
      expect(s.score).toBeCloseTo(s.distance / (threshold * SUGGESTION_RANGE), 9);
      expect(s.score).toBeLessThanOrEqual(1);
      if (i > 0) expect(s.distance).toBeGreaterThanOrEqual(suggestions[i - 1]!.distance);
    }
    // Several faces of each side, each the side's own, nearest its centre first (the Person view's order).
    const [first] = suggestions;
    for (const [person, shown] of [
      [first!.a, first!.aFaceIds],
      [first!.b, first!.bFaceIds],
    ] as const) {
      expect(shown.length).toBe(Math.min(SUGGESTION_FACES, person.faceCount));
      const detail = people.getPerson(person.id);
      const auto = detail.faces
        .filter((f) => f.distance !== null)
        .sort((x, y) => x.distance! - y.distance! || x.id - y.id);
      expect(new Set(shown).size).toBe(shown.length);
      for (const id of shown) expect(detail.faces.map((f) => f.id)).toContain(id);
      expect(shown).toEqual(auto.slice(0, shown.length).map((f) => f.id));
    }
    const pairKey = (s: { a: { id: number }; b: { id: number } }): string => [s.a.id, s.b.id].sort().join(':');
    people.dismissSuggestion(twin, anna);
    const left = people.mergeSuggestions().map(pairKey);
    expect(left).not.toContain(pairKey(suggestions[0]!));
    expect(left).toEqual(suggestions.slice(1).map(pairKey));
    const path = lib.dbPath;
    await lib.close();
    const again = LibraryService.open(path);
    expect(new PeopleService(again.library).mergeSuggestions().map(pairKey)).toEqual(left);
    await again.close();
  });

  it('threshold preview reports merges and splits without applying them', async () => {
    const { lib, people } = await fresh();
    const before = dump(lib.library);
    const same = people.previewThreshold(people.settings().threshold);
    expect(same).toMatchObject({ people: 3, merges: [], splits: [] });
    const loose = people.previewThreshold(3.99);
    expect(loose.people).toBeLessThan(3);
    expect(loose.merges.flat().length).toBeGreaterThanOrEqual(2);
    const tight = people.previewThreshold(0.001);
    expect(tight.splits.map((x) => x.parts).sort()).toEqual([4, 5, 7]);
    expect(tight.people).toBe(0);
    expect(dump(lib.library)).toEqual(before);
    expect(() => people.previewThreshold(0)).toThrow(/threshold/);
    // Previews reuse the k-NN graph (the faces did not change) and agree with a cold service.
    expect(people.graphCache.hits).toBeGreaterThanOrEqual(3);
    const cold = new PeopleService(lib.library);
    expect(cold.previewThreshold(3.99)).toEqual(loose);
    expect(cold.previewThreshold(0.001)).toEqual(tight);
    await lib.close();
  });

  it('ROC from confirmed labels; Unsorted in similarity order', async () => {
    const { lib, people } = await fresh();
    const L = lib.library;
    expect(people.roc()).toMatchObject({ points: [], samePairs: 0 });
    const anna = lib.face(faceAt(L, 'a0.png', 0))!.personId!;
    const ben = lib.face(faceAt(L, 'b0.png', 5))!.personId!;
    people.confirmFaces([faceAt(L, 'a0.png', 0), faceAt(L, 'a1.png', 1), faceAt(L, 'a2.png', 2)], anna);
    people.confirmFaces([faceAt(L, 'b0.png', 5), faceAt(L, 'b1.png', 6)], ben);
    const roc = people.roc();
    expect(roc.samePairs).toBe(4);
    expect(roc.differentPairs).toBe(6);
    expect(roc.points.at(-1)).toMatchObject({ val: 1, far: 1 });
    // Same people perfectly separated: some threshold has VAL 1 at FAR 0.
    expect(roc.points.some((p) => p.val === 1 && p.far === 0)).toBe(true);

    people.updateSettings({ minClusterSize: 6 }); // only A (7 faces) stays a person
    people.recluster();
    const unsorted = people.unsortedFaces();
    const keys = unsorted.map((f) => lib.photo(f.photoId)!.path.split('/').pop()![0]);
    // Faces of one identity are next to each other (g = the group photo's B or C face).
    const runs = keys
      .join('')
      .replace(/g/g, '')
      .replace(/(.)\1+/g, '$1');
    expect(runs.length).toBeLessThanOrEqual(3);
    await lib.close();
  });

  it('settings persist in the library and are validated', async () => {
    const { lib, people } = await fresh();
    expect(people.settings()).toMatchObject({ minClusterSize: 2, detector: 'blazeface-full', embedder: 'dlib' });
    people.updateSettings({ threshold: 0.5, minQuality: 0.3, embedder: 'dlib+faceres', providers: ['cpu'] });
    expect(() => people.updateSettings({ threshold: 5 })).toThrow(/threshold/);
    expect(() => people.updateSettings({ detector: 'nope' })).toThrow(/detector/);
    expect(() => people.updateSettings({ providers: ['tpu'] })).toThrow(/provider/);
    const path = lib.dbPath;
    await lib.close();
    const again = LibraryService.open(path);
    expect(new PeopleService(again.library).settings()).toMatchObject({
      threshold: 0.5,
      minQuality: 0.3,
      embedder: 'dlib+faceres',
      providers: ['cpu'],
    });
    await again.close();
  });

  it('adds a manual face (drawn box) to a person; undo removes it', async () => {
    const { lib, people } = await fresh();
    const pipeline = new NoisyPipeline();
    const photo = lib.photoByPath(join(photos, 'c0.png'))!;
    const before = dump(lib.library);
    const cleo = lib.face(faceAt(lib.library, 'c0.png', 9))!.personId!;
    // A box the detector missed (a blank cell), drawn by the user and assigned to Cleo.
    const box = { x: 0, y: 0, width: 16, height: 16 };
    const added = await people.addManualFace(photo.id, box, { personId: cleo }, async (path, b) => ({
      face: await embedManualFace(pipeline, path, b),
      modelVersion: pipeline.modelVersion,
    }));
    expect(lib.face(added.faceId)).toMatchObject({ personId: cleo, assignment: 'confirmed', box });
    expect(lib.library.decisions.listByFace(added.faceId)).toHaveLength(1);
    people.recluster();
    expect(lib.face(added.faceId)).toMatchObject({ personId: cleo, assignment: 'confirmed' });
    // Undo right after the manual face: recluster was not an undoable action, so this undoes the add.
    people.undo();
    expect(lib.face(added.faceId)).toBeUndefined();
    people.recluster();
    expect(dump(lib.library)).toEqual(before);
    await lib.close();
  });
});
