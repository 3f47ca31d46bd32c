/**
 * The user's decisions are the most valuable data: these tests make decisions on indexed faces and then put
 * the library through re-index, model change, move/rename, edit, delete and folder remove + re-add, checking
 * that every decision is still there (on the right face) or, where its face is truly gone, kept as an orphan.
 */
import { mkdirSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import type { Face, FaceDecision } from '../../../../src-main/engine/storage/types.js';
import { makePhoto } from '../../../helpers/images.js';
import { TestPipeline } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

let n = 0;

describe('decisions survive', () => {
  let svc: LibraryService;
  let root: string;
  let pipeline: TestPipeline;
  let ada: number;
  let bob: number;

  /** Decisions as (file name, face box x/y, person, decision): independent of row ids. */
  function decisions(): string[] {
    const lib = svc.library;
    return lib.decisions
      .list()
      .map((d: FaceDecision) => {
        const face = lib.faces.get(d.faceId) as Face;
        const photo = lib.photos.get(face.photoId)!;
        return `${photo.path.slice(root.length + 1)}@${face.box.x},${face.box.y}:${d.personId === ada ? 'ada' : 'bob'}:${d.decision}`;
      })
      .sort();
  }

  /** Separations ("not this person" kept as face pairs) as sorted face keys, with their time. */
  function separations(): string[] {
    const lib = svc.library;
    const key = (id: number): string => {
      const face = lib.faces.get(id) as Face;
      return `${lib.photos.get(face.photoId)!.path.slice(root.length + 1)}@${face.box.x},${face.box.y}`;
    };
    return lib.separations
      .involving(lib.faces.allIds())
      .map((p) => `${[key(p.faceA), key(p.faceB)].sort().join(' / ')}:${p.decidedAt}`)
      .sort();
  }

  function faceAt(file: string, x: number, y: number): Face {
    const photo = svc.photoByPath(join(root, file))!;
    const f = svc.library.faces.listByPhoto(photo.id).find((f) => f.box.x === x && f.box.y === y);
    if (!f) throw new Error(`no face at ${x},${y} in ${file}`);
    return f;
  }

  beforeEach(async () => {
    const base = join(tmp.dir, `case-${n++}`);
    root = join(base, 'photos');
    mkdirSync(root, { recursive: true });
    // 64 px images, 4x4 grid: cell 0 is box (0,0), cell 5 is (16,16), cell 15 is (48,48).
    await makePhoto(join(root, 'family.jpg'), {
      seed: 1,
      faces: [
        { cell: 0, identity: 1 },
        { cell: 5, identity: 2 },
      ],
    });
    await makePhoto(join(root, 'trip', 'beach.png'), { seed: 2, faces: [{ cell: 15, identity: 1 }] });
    svc = LibraryService.open(join(base, 'library.db'));
    svc.addFolder(root);
    pipeline = new TestPipeline();
    await svc.index(pipeline);
    const lib = svc.library;
    ada = lib.people.create('Ada');
    bob = lib.people.create('Bob');
    const a1 = faceAt('family.jpg', 0, 0);
    const b1 = faceAt('family.jpg', 16, 16);
    const a2 = faceAt('trip/beach.png', 48, 48);
    lib.decisions.record(a1.id, ada, 'confirmed');
    lib.faces.setPerson(a1.id, ada, 'confirmed');
    lib.decisions.record(a1.id, bob, 'rejected');
    lib.decisions.record(b1.id, bob, 'confirmed');
    lib.decisions.record(a2.id, ada, 'confirmed');
    lib.separations.separate(b1.id, [a2.id], SEPARATED_AT);
  });

  const SEPARATED_AT = 1_700_000_000_000;
  const SEPARATION = [`family.jpg@16,16 / trip/beach.png@48,48:${SEPARATED_AT}`];

  const ALL = [
    'family.jpg@0,0:ada:confirmed',
    'family.jpg@0,0:bob:rejected',
    'family.jpg@16,16:bob:confirmed',
    'trip/beach.png@48,48:ada:confirmed',
  ];

  it('starts from four decisions', () => {
    expect(decisions()).toEqual(ALL);
  });

  it('re-index of unchanged photos', async () => {
    const ids = svc.library.decisions.list().map((d) => d.faceId);
    await svc.index(pipeline);
    await svc.index(pipeline, { concurrency: 1 });
    expect(decisions()).toEqual(ALL);
    expect(svc.library.decisions.list().map((d) => d.faceId)).toEqual(ids);
  });

  it('a model change (every photo re-analysed, all faces new)', async () => {
    const oldIds = new Set(svc.library.decisions.list().map((d) => d.faceId));
    const s = await svc.index(new TestPipeline({ modelVersion: 'test-pipeline-v2' }));
    expect(s).toMatchObject({ analysed: 2, decisionsCarried: 4, decisionsOrphaned: 0 });
    expect(decisions()).toEqual(ALL);
    expect(svc.library.decisions.list().some((d) => oldIds.has(d.faceId))).toBe(false);
    expect(faceAt('family.jpg', 0, 0)).toMatchObject({
      personId: ada,
      assignment: 'confirmed',
      modelVersion: 'test-pipeline-v2',
    });
  });

  it('move and rename', async () => {
    mkdirSync(join(root, 'archive'));
    renameSync(join(root, 'family.jpg'), join(root, 'archive', 'family-2020.jpg'));
    renameSync(join(root, 'trip'), join(root, 'trip-renamed'));
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ moved: 2, removed: 0, analysed: 0 });
    expect(decisions()).toEqual([
      'archive/family-2020.jpg@0,0:ada:confirmed',
      'archive/family-2020.jpg@0,0:bob:rejected',
      'archive/family-2020.jpg@16,16:bob:confirmed',
      'trip-renamed/beach.png@48,48:ada:confirmed',
    ]);
    expect(svc.status().orphanedDecisions).toBe(0);
  });

  it('edit: kept faces keep their decisions; a face edited away leaves an orphan, reported', async () => {
    // Bob's face (cell 5) is cropped out; Ada's stays; a new face appears.
    await makePhoto(join(root, 'family.jpg'), {
      seed: 1,
      faces: [
        { cell: 0, identity: 1 },
        { cell: 10, identity: 3 },
      ],
    });
    utimesSync(join(root, 'family.jpg'), new Date(), new Date(Date.now() + 10_000));
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ analysed: 1, decisionsCarried: 2, decisionsOrphaned: 1 });
    expect(decisions()).toEqual(ALL.filter((d) => !d.startsWith('family.jpg@16,16')));
    expect(svc.orphanedDecisions()).toMatchObject([
      { personId: bob, decision: 'confirmed', reason: 'face-not-found-after-reindex', box: { x: 16, y: 16 } },
    ]);
    expect(svc.status()).toMatchObject({ decisions: 3, orphanedDecisions: 1 });
  });

  it('edit that moves every face (a crop): decisions follow the same faces by embedding', async () => {
    await makePhoto(join(root, 'family.jpg'), {
      seed: 1,
      faces: [
        { cell: 6, identity: 1 },
        { cell: 9, identity: 2 },
      ],
    });
    utimesSync(join(root, 'family.jpg'), new Date(), new Date(Date.now() + 10_000));
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ analysed: 1, decisionsCarried: 3, decisionsOrphaned: 0 });
    expect(decisions()).toEqual([
      'family.jpg@16,32:bob:confirmed',
      'family.jpg@32,16:ada:confirmed',
      'family.jpg@32,16:bob:rejected',
      'trip/beach.png@48,48:ada:confirmed',
    ]);
  });

  it('edit and undo: reverting the file restores the orphaned decision', async () => {
    const original = join(tmp.dir, `orig-${n}.jpg`);
    renameSync(join(root, 'family.jpg'), original);
    await makePhoto(join(root, 'family.jpg'), { seed: 1, faces: [{ cell: 0, identity: 1 }] });
    await svc.index(pipeline);
    expect(svc.status().orphanedDecisions).toBe(1);
    rmSync(join(root, 'family.jpg'));
    renameSync(original, join(root, 'family.jpg'));
    utimesSync(join(root, 'family.jpg'), new Date(), new Date(Date.now() + 20_000));
    const s = await svc.index(pipeline);
    expect(s.decisionsRestored).toBe(1);
    expect(decisions()).toEqual(ALL);
    expect(svc.status().orphanedDecisions).toBe(0);
  });

  it('delete then restore the file', async () => {
    const away = join(tmp.dir, `away-${n}.png`);
    renameSync(join(root, 'trip', 'beach.png'), away);
    let s = await svc.index(pipeline);
    expect(s).toMatchObject({ removed: 1, decisionsOrphaned: 1 });
    expect(svc.status()).toMatchObject({ faces: 2, decisions: 3, orphanedDecisions: 1 });
    expect(svc.library.faces.listByPerson(ada)).toHaveLength(1); // the beach face left Ada with its photo
    renameSync(away, join(root, 'trip', 'beach.png'));
    s = await svc.index(pipeline);
    expect(s).toMatchObject({ analysed: 1, decisionsRestored: 1 });
    expect(decisions()).toEqual(ALL);
  });

  it('folder removed and added again', async () => {
    const r = svc.removeFolder(root);
    expect(r).toMatchObject({ photosRemoved: 2, decisionsOrphaned: 4 });
    expect(svc.status()).toMatchObject({
      folders: 0,
      photos: { total: 0 },
      faces: 0,
      decisions: 0,
      orphanedDecisions: 4,
    });
    svc.addFolder(root);
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ analysed: 2, decisionsRestored: 4 });
    expect(decisions()).toEqual(ALL);
    expect(svc.status().orphanedDecisions).toBe(0);
    expect(faceAt('family.jpg', 0, 0)).toMatchObject({ personId: ada, assignment: 'confirmed' });
  });

  describe('separations ("not this person" kept as face pairs) follow their faces like decisions', () => {
    it('a model change: both faces re-analysed', async () => {
      await svc.index(new TestPipeline({ modelVersion: 'test-pipeline-v2' }));
      expect(separations()).toEqual(SEPARATION);
    });

    it('a crop moves every face: the pair follows the same faces by embedding', async () => {
      await makePhoto(join(root, 'family.jpg'), {
        seed: 1,
        faces: [
          { cell: 6, identity: 1 },
          { cell: 9, identity: 2 },
        ],
      });
      utimesSync(join(root, 'family.jpg'), new Date(), new Date(Date.now() + 10_000));
      await svc.index(pipeline);
      expect(separations()).toEqual([`family.jpg@16,32 / trip/beach.png@48,48:${SEPARATED_AT}`]);
    });

    it('one photo deleted and restored while the other face stays', async () => {
      const away = join(tmp.dir, `away-sep-${n}.png`);
      renameSync(join(root, 'trip', 'beach.png'), away);
      await svc.index(pipeline);
      expect(separations()).toEqual([]);
      expect(svc.library.separations.orphans()).toHaveLength(1);
      renameSync(away, join(root, 'trip', 'beach.png'));
      await svc.index(pipeline);
      expect(separations()).toEqual(SEPARATION);
      expect(svc.library.separations.orphans()).toEqual([]);
    });

    it('a face edited away and back', async () => {
      const original = join(tmp.dir, `orig-sep-${n}.jpg`);
      renameSync(join(root, 'family.jpg'), original);
      await makePhoto(join(root, 'family.jpg'), { seed: 1, faces: [{ cell: 0, identity: 1 }] });
      await svc.index(pipeline);
      expect(separations()).toEqual([]);
      rmSync(join(root, 'family.jpg'));
      renameSync(original, join(root, 'family.jpg'));
      utimesSync(join(root, 'family.jpg'), new Date(), new Date(Date.now() + 20_000));
      await svc.index(pipeline);
      expect(separations()).toEqual(SEPARATION);
      expect(svc.library.separations.orphans()).toEqual([]);
    });

    it('the folder removed and added again: both faces gone, then both back', async () => {
      svc.removeFolder(root);
      expect(svc.library.separations.orphans()).toHaveLength(1);
      svc.addFolder(root);
      await svc.index(pipeline);
      expect(separations()).toEqual(SEPARATION);
      expect(svc.library.separations.orphans()).toEqual([]);
    });
  });

  it('a deleted photo leaves its person; the person and other decisions stay', async () => {
    rmSync(join(root, 'family.jpg'));
    await svc.index(pipeline);
    expect(svc.library.people.get(ada)).toBeDefined();
    expect(decisions()).toEqual(['trip/beach.png@48,48:ada:confirmed']);
    expect(svc.library.faces.listByPerson(ada)).toHaveLength(0); // beach face was never auto-assigned
    expect(svc.status().orphanedDecisions).toBe(3);
  });
});
