/**
 * An ignored face ("not a face", "stranger") stays ignored through re-indexing: unchanged photos keep their
 * face rows (and so the ignore), and a re-analysed photo (a model change, an edit that keeps the face) hands
 * the ignore to the new face that matches it, with its reason, as it does with decisions.
 */
import { mkdirSync } from 'node:fs';
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
});
