/**
 * Issue 10, reproduction 4, through the API on a real SQLite library of drawn photos: removing a folder is
 * one undoable step in History (the people re-grouped with it), undo puts every row back exactly, and adding
 * the folder again brings back the names, no one else's faces, and the unnamed people under their old ids.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApi } from '../../../src-main/app/engine-api.js';
import { tempDir } from '../../helpers/tmp.js';
import {
  A,
  B,
  C,
  dump,
  faceKeys,
  familyPlan,
  NoisyPipeline,
  peopleByKeys,
  writePhotos,
} from '../../helpers/people-library.js';

const tmp = tempDir('folder-regroup-');
const home = join(tmp.dir, 'home');
const trip = join(tmp.dir, 'trip');
let api: EngineApi;

beforeAll(async () => {
  await writePhotos(home, familyPlan());
  // The trip: more photos of A and C, and a new face D (identity 5) seen twice.
  await writePhotos(trip, [
    { name: 't0.png', faces: [{ cell: 1, identity: A }] },
    { name: 't1.png', faces: [{ cell: 2, identity: A }] },
    { name: 't2.png', faces: [{ cell: 3, identity: C }] },
    { name: 't3.png', faces: [{ cell: 6, identity: 5 }] },
    { name: 't4.png', faces: [{ cell: 7, identity: 5 }] },
    { name: 't5.png', faces: [{ cell: 8, identity: B }] },
  ]);
  api = EngineApi.open(join(tmp.dir, 'lib.db'), { createPipeline: async () => new NoisyPipeline() });
});
afterAll(async () => {
  await api.close();
  tmp.cleanup();
});

const index = async (): Promise<void> => {
  await api.startIndexing();
  await api.whenIdle();
};

describe('removing and adding a folder again', () => {
  it('is undoable, exact, and brings the same people back', async () => {
    // The test pipeline's identities are > 1.4 apart and its noise ~0.1: 1.1 separates them.
    await api.updateSettings({ threshold: 1.1 });
    await api.addFolder({ path: home });
    const { id: tripId } = await api.addFolder({ path: trip });
    await index();
    const people = await api.listPeople({});
    const personOf = (file: string): number => {
      const row = api.library.library.db
        .prepare('SELECT f.person_id AS p FROM faces f JOIN photos ph ON ph.id = f.photo_id WHERE ph.path LIKE ?')
        .get(`%${file}`) as { p: number };
      return row.p;
    };
    const anna = personOf('a0.png');
    const dee = personOf('t3.png');
    expect(personOf('t0.png')).toBe(anna);
    expect(personOf('t4.png')).toBe(dee);
    await api.renamePerson({ personId: anna, name: 'Anna' });
    const withTrip = dump(api.library.library);
    const groupsWithTrip = peopleByKeys(api.library.library);
    expect(people.length).toBeGreaterThanOrEqual(4);

    // Remove: one History entry; the people are re-grouped; undo restores every row.
    await api.removeFolder({ folderId: tripId });
    expect((await api.undoStack())[0]!.label).toBe(`Removed the folder ${trip}`);
    const anna1 = await api.getPerson({ personId: anna });
    expect(anna1.faces.length).toBe(7); // A's home faces only
    const settled = dump(api.library.library);
    await api.recluster({});
    await api.undo(); // the re-grouping just made
    expect(dump(api.library.library)).toEqual(settled); // removal left a settled grouping
    await api.undo(); // the removal
    expect(dump(api.library.library)).toEqual(withTrip);
    expect((await api.listFolders()).map((f) => f.path).sort()).toEqual([home, trip].sort());

    // Remove, then add the folder again and index it: same people, same ids, same names.
    await api.removeFolder({ folderId: tripId });
    await api.addFolder({ path: trip });
    await index();
    expect(peopleByKeys(api.library.library)).toEqual(groupsWithTrip);
    expect(personOf('t0.png')).toBe(anna);
    expect(personOf('t3.png')).toBe(dee); // the unnamed person keeps its id
    expect((await api.getPerson({ personId: anna })).person.name).toBe('Anna');
  });
});

describe('"not this person" on an unconfirmed person, then the folder removed and added again', () => {
  const tmp2 = tempDir('folder-regroup-separation-');
  const photos = join(tmp2.dir, 'photos');
  let api2: EngineApi;
  beforeAll(async () => {
    await writePhotos(photos, familyPlan());
    api2 = EngineApi.open(join(tmp2.dir, 'lib.db'), { createPipeline: async () => new NoisyPipeline() });
  });
  afterAll(async () => {
    await api2.close();
    tmp2.cleanup();
  });

  it('keeps the face apart from the faces that person held, as a re-grouping before the removal did', async () => {
    await api2.updateSettings({ threshold: 1.1 });
    const { id: folderId } = await api2.addFolder({ path: photos });
    await api2.startIndexing();
    await api2.whenIdle();
    const lib = (): Parameters<typeof peopleByKeys>[0] => api2.library.library;
    // The largest person, nothing of it confirmed: one of its faces is not this person. That face is kept
    // apart from the faces the person held then (separations), so it stays out of them in every re-grouping.
    const largest = (await api2.listPeople({})).sort((a, b) => b.faceCount - a.faceCount)[0]!;
    const face = (await api2.getPerson({ personId: largest.id })).faces[0]!;
    await api2.rejectFaces({ faceIds: [face.id], personId: largest.id });
    await api2.recluster({});
    const decided = peopleByKeys(lib());
    const keys = faceKeys(lib());
    const separations = (): string[] =>
      lib()
        .separations.pairs()
        .map(([a, b]) => [faceKeys(lib()).get(a)!, faceKeys(lib()).get(b)!].sort().join(' / '))
        .sort();
    const separated = separations();
    expect(separated.length).toBeGreaterThan(0);
    expect(separated.every((s) => s.includes(keys.get(face.id)!))).toBe(true);
    // The face is in none of the people it was kept apart from.
    expect(decided.filter((p) => p.includes(keys.get(face.id)!) && p.startsWith('?'))).toEqual([]);

    // Removed: the pairs wait as orphaned separations; undoing the removal takes them back exactly.
    const rows = dump(lib());
    await api2.removeFolder({ folderId });
    expect(lib().separations.orphans()).toHaveLength(separated.length);
    await api2.undo();
    expect(dump(lib())).toEqual(rows);
    expect(lib().separations.orphans()).toEqual([]);

    // Removed, added again and indexed: the same pairs, between the new faces, and so the same people.
    await api2.removeFolder({ folderId });
    await api2.addFolder({ path: photos });
    await api2.startIndexing();
    await api2.whenIdle();
    expect(separations()).toEqual(separated);
    expect(lib().separations.orphans()).toEqual([]);
    expect(peopleByKeys(lib())).toEqual(decided);
  });
});

describe('ignored faces ("not a face", "stranger"), then the folder removed and added again', () => {
  const tmp3 = tempDir('folder-regroup-ignored-');
  const photos = join(tmp3.dir, 'photos');
  let api3: EngineApi;
  beforeAll(async () => {
    await writePhotos(photos, familyPlan());
    api3 = EngineApi.open(join(tmp3.dir, 'lib.db'), { createPipeline: async () => new NoisyPipeline() });
  });
  afterAll(async () => {
    await api3.close();
    tmp3.cleanup();
  });

  it('undo of the removal is exact, and the faces are ignored again, for the same reasons, once re-indexed', async () => {
    await api3.updateSettings({ threshold: 1.1 });
    const { id: folderId } = await api3.addFolder({ path: photos });
    await api3.startIndexing();
    await api3.whenIdle();
    const lib = (): Parameters<typeof peopleByKeys>[0] => api3.library.library;
    const keyOf = (id: number): string => faceKeys(lib()).get(id)!;
    // One face of the largest person is not a face, one of the next is a stranger.
    const [first, second] = (await api3.listPeople({})).sort((a, b) => b.faceCount - a.faceCount);
    const notAFace = (await api3.getPerson({ personId: first!.id })).faces[0]!;
    const stranger = (await api3.getPerson({ personId: second!.id })).faces[0]!;
    await api3.ignoreFaces({ faceIds: [notAFace.id], reason: 'not-a-face' });
    await api3.ignoreFaces({ faceIds: [stranger.id], reason: 'stranger' });
    await api3.recluster({});
    const ignoredKeys = (): string[] =>
      lib()
        .ignored.list()
        .map((i) => `${keyOf(i.faceId)}:${i.reason}:${i.ignoredAt}`)
        .sort();
    const ignored = ignoredKeys();
    expect(ignored.map((s) => s.split(':').slice(0, 3).join(':')).sort()).toEqual(
      [`${keyOf(notAFace.id)}:not-a-face`, `${keyOf(stranger.id)}:stranger`].sort(),
    );
    const decided = peopleByKeys(lib());
    // The ignored faces are in no person.
    for (const k of [keyOf(notAFace.id), keyOf(stranger.id)]) {
      expect(decided.filter((p) => p.includes(k) && !p.startsWith('U'))).toEqual([]);
    }
    const orphans = (): unknown[] => lib().ignored.orphans();

    // Removed: the ignores wait as orphans; undoing the removal puts every row back and leaves no orphan.
    const rows = dump(lib());
    await api3.removeFolder({ folderId });
    expect(lib().ignored.count()).toBe(0);
    expect(orphans()).toHaveLength(2);
    await api3.undo();
    expect(dump(lib())).toEqual(rows);
    expect(orphans()).toEqual([]);

    // Removed, added again and indexed: the same faces ignored, for the same reasons, and the same people.
    await api3.removeFolder({ folderId });
    await api3.addFolder({ path: photos });
    await api3.startIndexing();
    await api3.whenIdle();
    expect(ignoredKeys()).toEqual(ignored);
    expect(orphans()).toEqual([]);
    expect(peopleByKeys(lib())).toEqual(decided);
  });
});
