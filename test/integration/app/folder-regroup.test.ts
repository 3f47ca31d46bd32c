/**
 * Issue 10, reproduction 4, through the API on a real SQLite library of drawn photos: removing a folder is
 * one undoable step in History (the people re-grouped with it), undo puts every row back exactly, and adding
 * the folder again brings back the names, no one else's faces, and the unnamed people under their old ids.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApi } from '../../../src-main/app/engine-api.js';
import { tempDir } from '../../helpers/tmp.js';
import { A, B, C, dump, familyPlan, NoisyPipeline, peopleByKeys, writePhotos } from '../../helpers/people-library.js';

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
