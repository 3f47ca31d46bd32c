/**
 * An ignored face ("not a face", "stranger") stays ignored through re-indexing: unchanged photos keep their
 * face rows (and so the ignore), and a re-analysed photo (a model change, an edit that keeps the face) hands
 * the ignore to the new face that matches it, with its reason, as it does with decisions. A face that leaves
 * with its photo (folder removed, file deleted, face edited away) leaves its ignore behind as an orphaned
 * ignore, and the face is ignored again, with the same reason and time, when the same content comes back.
 */
import { mkdirSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { PeopleService } from '../../../../src-main/engine/people/people-service.js';
import { makePhoto } from '../../../helpers/images.js';
import { TestPipeline } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

describe('ignored faces survive re-indexing', () => {
  let svc: LibraryService;
  let root: string;

  /** Ignored faces as (file, box x/y, reason): independent of row ids. */
  function ignored(): string[] {
    const lib = svc.library;
    return lib.ignored
      .list()
      .map((i) => {
        const face = lib.faces.get(i.faceId)!;
        const photo = lib.photos.get(face.photoId)!;
        return `${photo.path.slice(root.length + 1)}@${face.box.x},${face.box.y}:${i.reason}`;
      })
      .sort();
  }

  function faceAt(file: string, x: number, y: number): number {
    const photo = svc.photoByPath(join(root, file))!;
    return svc.library.faces.listByPhoto(photo.id).find((f) => f.box.x === x && f.box.y === y)!.id;
  }

  beforeEach(async () => {
    const base = join(tmp.dir, `case-${n++}`);
    root = join(base, 'photos');
    mkdirSync(root, { recursive: true });
    await makePhoto(join(root, 'family.jpg'), {
      seed: 1,
      faces: [
        { cell: 0, identity: 1 },
        { cell: 5, identity: 2 },
      ],
    });
    await makePhoto(join(root, 'beach.png'), { seed: 2, faces: [{ cell: 15, identity: 3 }] });
    svc = LibraryService.open(join(base, 'library.db'));
    svc.addFolder(root);
    await svc.index(new TestPipeline());
    const people = new PeopleService(svc.library);
    people.ignoreFaces([faceAt('family.jpg', 16, 16)], 'not-a-face');
    people.ignoreFaces([faceAt('beach.png', 48, 48)], 'stranger');
  });

  const BOTH = ['beach.png@48,48:stranger', 'family.jpg@16,16:not-a-face'];

  it('re-index of unchanged photos keeps the same rows', async () => {
    const before = svc.library.ignored.list();
    await svc.index(new TestPipeline());
    expect(svc.library.ignored.list()).toEqual(before);
  });

  it('a model change (all faces new) carries each ignore, with its reason, to the new face', async () => {
    const before = svc.library.ignored.list().map((i) => i.faceId);
    await svc.index(new TestPipeline({ modelVersion: 'test-pipeline-v2' }));
    expect(ignored()).toEqual(BOTH);
    expect(svc.library.ignored.list().some((i) => before.includes(i.faceId))).toBe(false);
    // ...and the new model's re-grouping leaves them out.
    const people = new PeopleService(svc.library, { modelVersion: 'test-pipeline-v2' });
    people.recluster({ threshold: 4 });
    for (const i of svc.library.ignored.list()) expect(svc.library.faces.get(i.faceId)!.personId).toBeNull();
    // The one face left (family.jpg@0,0, alone) is all Unsorted holds.
    expect(people.unsortedFaces().map((f) => f.box.x)).toEqual([0]);
    expect(people.unsortedCount()).toBe(1);
  });

  it('an edit that keeps the face keeps its ignore; a face edited away takes its ignore with it', async () => {
    await makePhoto(join(root, 'family.jpg'), { seed: 9, faces: [{ cell: 5, identity: 2 }] });
    await makePhoto(join(root, 'beach.png'), { seed: 2, faces: [{ cell: 0, identity: 3 }] });
    await svc.index(new TestPipeline());
    expect(ignored()).toEqual(['beach.png@0,0:stranger', 'family.jpg@16,16:not-a-face']);
  });

  describe('a face that leaves with its photo is ignored again when the photo comes back', () => {
    const orphans = (): unknown[] => svc.library.ignored.orphans();

    it('the folder removed and added again: both ignores back, with their reasons', async () => {
      const times = svc.library.ignored
        .list()
        .map((i) => i.ignoredAt)
        .sort();
      svc.removeFolder(root);
      expect(svc.library.ignored.count()).toBe(0);
      expect(orphans()).toHaveLength(2);
      svc.addFolder(root);
      await svc.index(new TestPipeline());
      expect(ignored()).toEqual(BOTH);
      expect(
        svc.library.ignored
          .list()
          .map((i) => i.ignoredAt)
          .sort(),
      ).toEqual(times);
      expect(orphans()).toEqual([]);
      // ...and a re-grouping leaves them out of the people again.
      new PeopleService(svc.library).recluster({ threshold: 4 });
      for (const i of svc.library.ignored.list()) expect(svc.library.faces.get(i.faceId)!.personId).toBeNull();
    });

    it('a file deleted and restored', async () => {
      const away = join(tmp.dir, `away-ign-${n}.png`);
      renameSync(join(root, 'beach.png'), away);
      await svc.index(new TestPipeline());
      expect(ignored()).toEqual(['family.jpg@16,16:not-a-face']);
      expect(orphans()).toHaveLength(1);
      renameSync(away, join(root, 'beach.png'));
      await svc.index(new TestPipeline());
      expect(ignored()).toEqual(BOTH);
      expect(orphans()).toEqual([]);
    });

    it('a face edited away and back', async () => {
      const original = join(tmp.dir, `orig-ign-${n}.jpg`);
      renameSync(join(root, 'family.jpg'), original);
      await makePhoto(join(root, 'family.jpg'), { seed: 1, faces: [{ cell: 0, identity: 1 }] });
      await svc.index(new TestPipeline());
      expect(ignored()).toEqual(['beach.png@48,48:stranger']);
      expect(orphans()).toHaveLength(1);
      rmSync(join(root, 'family.jpg'));
      renameSync(original, join(root, 'family.jpg'));
      utimesSync(join(root, 'family.jpg'), new Date(), new Date(Date.now() + 20_000));
      await svc.index(new TestPipeline());
      expect(ignored()).toEqual(BOTH);
      expect(orphans()).toEqual([]);
    });

    it('other content does not take the ignore: a different photo at the same path', async () => {
      rmSync(join(root, 'beach.png'));
      await svc.index(new TestPipeline());
      await makePhoto(join(root, 'beach.png'), { seed: 7, faces: [{ cell: 15, identity: 5 }] });
      await svc.index(new TestPipeline());
      expect(ignored()).toEqual(['family.jpg@16,16:not-a-face']);
      expect(orphans()).toHaveLength(1); // still waiting for its own content
    });

    it('a face confirmed for a person and then ignored comes back ignored, in no person, its decision kept', async () => {
      const people = new PeopleService(svc.library);
      const ada = svc.library.people.create('Ada');
      people.confirmFaces([faceAt('family.jpg', 0, 0)], ada);
      people.ignoreFaces([faceAt('family.jpg', 0, 0)], 'stranger');
      svc.removeFolder(root);
      svc.addFolder(root);
      await svc.index(new TestPipeline());
      expect(ignored()).toEqual([...BOTH, 'family.jpg@0,0:stranger'].sort());
      const face = faceAt('family.jpg', 0, 0);
      expect(svc.library.faces.get(face)!.personId).toBeNull();
      expect(svc.library.decisions.listByFace(face)).toMatchObject([{ personId: ada, decision: 'confirmed' }]);
      expect(orphans()).toEqual([]);
    });
  });
});
