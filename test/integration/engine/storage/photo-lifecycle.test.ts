import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../../src-main/engine/storage/library.js';
import { matchBoxes, matchFaces, PhotoLifecycle } from '../../../../src-main/engine/storage/photo-lifecycle.js';
import type { FileFacts } from '../../../../src-main/engine/storage/photo-repository.js';
import type { AnalyzedFace } from '../../../../src-shared/analysis.js';
import { PhotoError } from '../../../../src-main/engine/vision/analysis.js';
import { fakeFace } from '../../../helpers/fake-faces.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const box = (x: number, y: number, s = 10) => ({ x, y, width: s, height: s });
const analysis = (faces: AnalyzedFace[], modelVersion = 'm1') => ({ width: 200, height: 200, faces, modelVersion });

describe('matchBoxes', () => {
  it('pairs boxes one-to-one by best IoU above the floor', () => {
    const m = matchBoxes([box(0, 0), box(100, 100), box(50, 0)], [box(101, 101), box(1, 0), box(300, 300)]);
    expect([...m.entries()].sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
  it('never gives one new box to two old ones', () => {
    const m = matchBoxes([box(0, 0), box(1, 0)], [box(0, 0)]);
    expect([...m.entries()]).toEqual([[0, 0]]);
  });
});

describe('matchFaces', () => {
  const e = (...v: number[]) => new Float32Array(v);
  it('falls back to near-identical embeddings of the same model when boxes moved', () => {
    const old = [
      { box: box(0, 0), embedding: e(1, 0, 0), modelVersion: 'm' },
      { box: box(50, 50), embedding: e(0, 1, 0), modelVersion: 'm' },
      { box: box(90, 90), embedding: e(0, 0, 1), modelVersion: 'other' },
    ];
    const neu = [
      { box: box(200, 0), embedding: e(0.05, 1, 0), modelVersion: 'm' },
      { box: box(1, 0), embedding: e(0, 0, 1), modelVersion: 'm' },
      { box: box(300, 0), embedding: e(0, 0, 1), modelVersion: 'm' },
    ];
    expect([...matchFaces(old, neu).entries()].sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
  it('does not match merely similar faces', () => {
    const m = matchFaces(
      [{ box: box(0, 0), embedding: e(1, 0), modelVersion: 'm' }],
      [{ box: box(100, 0), embedding: e(0.8, 0.6), modelVersion: 'm' }],
    );
    expect(m.size).toBe(0);
  });
});

describe('PhotoLifecycle', () => {
  let lib: Library;
  let life: PhotoLifecycle;
  let file: FileFacts;
  let n = 0;
  beforeEach(() => {
    lib = Library.open(join(tmp.dir, `life-${n++}.db`));
    life = new PhotoLifecycle(lib);
    const folder = lib.folders.add('/p');
    file = { folderId: folder.id, path: '/p/a.jpg', size: 1, mtimeMs: 1 };
  });

  it('re-analysis carries decisions to the overlapping new face and orphans the rest, never dropping one', () => {
    const first = life.applyAnalysis(file, 'h1', analysis([fakeFace(0, 0, 20, 1), fakeFace(100, 100, 20, 2)]), null);
    const [f1, f2] = lib.faces.listByPhoto(first.photoId);
    const ada = lib.people.create('Ada');
    const bob = lib.people.create('Bob');
    lib.decisions.record(f1!.id, ada, 'confirmed', 111);
    lib.faces.setPerson(f1!.id, ada, 'confirmed');
    lib.decisions.record(f1!.id, bob, 'rejected', 112);
    lib.decisions.record(f2!.id, bob, 'confirmed', 113);
    lib.people.setCover(ada, f1!.id);

    // Edited: the first face shifted slightly, the second is gone, a new one appeared.
    const r = life.applyAnalysis(
      { ...file, size: 2 },
      'h2',
      analysis([fakeFace(2, 1, 20, 1), fakeFace(150, 0, 20, 3)]),
      null,
    );
    expect(r).toMatchObject({ faces: 2, decisionsCarried: 2, decisionsOrphaned: 1 });
    const [g1] = lib.faces.listByPhoto(first.photoId);
    expect(lib.decisions.listByFace(g1!.id).map((d) => [d.personId, d.decision, d.decidedAt])).toEqual([
      [ada, 'confirmed', 111],
      [bob, 'rejected', 112],
    ]);
    expect(lib.faces.get(g1!.id)).toMatchObject({ personId: ada, assignment: 'confirmed' });
    expect(lib.people.get(ada)!.coverFaceId).toBe(g1!.id);
    expect(lib.decisions.orphans()).toMatchObject([
      { personId: bob, decision: 'confirmed', decidedAt: 113, contentHash: 'h1', box: box(100, 100, 20) },
    ]);
  });

  it('failure and removal orphan decisions; the same content indexed again restores them', () => {
    const first = life.applyAnalysis(file, 'h1', analysis([fakeFace(0, 0)]), null);
    const [f1] = lib.faces.listByPhoto(first.photoId);
    const ada = lib.people.create('Ada');
    lib.decisions.record(f1!.id, ada, 'confirmed', 5);

    life.applyFailure(file, 'h1', new PhotoError(file.path, 'unreadable', 'EACCES'), 'm1');
    expect(lib.photos.get(first.photoId)).toMatchObject({ status: 'error', errorReason: 'unreadable' });
    expect(lib.decisions.count()).toBe(0);
    expect(lib.decisions.orphanCount()).toBe(1);

    const again = life.applyAnalysis(file, 'h1', analysis([fakeFace(0, 0)]), null);
    expect(again.decisionsRestored).toBe(1);
    expect(lib.decisions.orphanCount()).toBe(0);

    expect(life.remove(again.photoId)).toBe(1);
    expect(lib.photos.get(again.photoId)).toBeUndefined();
    expect(lib.decisions.orphans()).toMatchObject([{ personId: ada, reason: 'photo-deleted', decidedAt: 5 }]);

    const restored = life.applyAnalysis({ ...file, path: '/p/elsewhere.jpg' }, 'h1', analysis([fakeFace(1, 1)]), null);
    expect(restored.decisionsRestored).toBe(1);
    const [face] = lib.faces.listByPhoto(restored.photoId);
    expect(lib.decisions.listByFace(face!.id)).toMatchObject([{ personId: ada, decision: 'confirmed', decidedAt: 5 }]);
    expect(face).toMatchObject({ personId: ada, assignment: 'confirmed' });
  });

  it('keeps auto assignments for matched faces only when the model is unchanged', () => {
    const first = life.applyAnalysis(file, 'h1', analysis([fakeFace(0, 0)]), null);
    const p = lib.people.create(null);
    lib.faces.setPerson(lib.faces.listByPhoto(first.photoId)[0]!.id, p, 'auto');
    life.applyAnalysis(file, 'h2', analysis([fakeFace(0, 0)]), null);
    expect(lib.faces.listByPhoto(first.photoId)[0]).toMatchObject({ personId: p, assignment: 'auto' });
    life.applyAnalysis(file, 'h2', analysis([fakeFace(0, 0)], 'm2'), null);
    expect(lib.faces.listByPhoto(first.photoId)[0]).toMatchObject({ personId: null, assignment: null });
  });

  it('an ignore leaves with its face and comes back, by box, with the same content', () => {
    const first = life.applyAnalysis(file, 'h1', analysis([fakeFace(0, 0), fakeFace(100, 100)]), null);
    const [, f2] = lib.faces.listByPhoto(first.photoId);
    lib.ignored.ignore([f2!.id], 'not-a-face', 7);
    life.remove(first.photoId);
    expect(lib.ignored.count()).toBe(0);
    expect(lib.ignored.orphans()).toMatchObject([{ place: { contentHash: 'h1', box: box(100, 100, 20) } }]);
    // Other content at the same path does not take it.
    life.applyAnalysis(file, 'h2', analysis([fakeFace(100, 100)]), null);
    expect(lib.ignored.count()).toBe(0);
    const back = life.applyAnalysis(
      { ...file, path: '/p/b.jpg' },
      'h1',
      analysis([fakeFace(1, 1), fakeFace(101, 101)]),
      null,
    );
    const [, g2] = lib.faces.listByPhoto(back.photoId);
    expect(lib.ignored.list()).toEqual([{ faceId: g2!.id, reason: 'not-a-face', ignoredAt: 7 }]);
    expect(lib.ignored.orphans()).toEqual([]);
  });

  it('an unmatched ignored face does not pass its ignore to a new face another old face carried over', () => {
    // Two overlapping detections, the second ignored as not a face; the new model sees only the first.
    const first = life.applyAnalysis(file, 'h1', analysis([fakeFace(0, 0), fakeFace(3, 0)]), null);
    const [, dup] = lib.faces.listByPhoto(first.photoId);
    lib.ignored.ignore([dup!.id], 'not-a-face', 7);
    life.applyAnalysis(file, 'h1', analysis([fakeFace(0, 0)], 'm2'), null);
    expect(lib.ignored.count()).toBe(0);
    expect(lib.ignored.orphans()).toMatchObject([{ reason: 'not-a-face', place: { box: box(3, 0, 20) } }]);
  });

  describe('a duplicate detection merged into a real face by a new analysis', () => {
    // Photo a.jpg: a real face R, a duplicate detection D of it (IoU 0.74), a second real face Z and a duplicate
    // E of Z; photo b.jpg: a face Y. A later model sees only R and Z: R and Z take over their new faces, D and E
    // are not matched and their records are orphaned by this very analysis, at boxes the carried faces cover.
    const R = () => fakeFace(0, 0, 20, 1);
    const D = () => fakeFace(3, 0, 20, 2);
    const Z = () => fakeFace(100, 100, 20, 3);
    const E = () => fakeFace(103, 100, 20, 5);
    let photoId: number;
    let r: number, d: number, z: number, e: number, y: number;
    let ada: number, bob: number;
    beforeEach(() => {
      photoId = life.applyAnalysis(file, 'h1', analysis([R(), D(), Z(), E()]), null).photoId;
      [r, d, z, e] = lib.faces.listByPhoto(photoId).map((f) => f.id) as [number, number, number, number];
      const other = life.applyAnalysis({ ...file, path: '/p/b.jpg' }, 'hb', analysis([fakeFace(50, 50, 20, 4)]), null);
      y = lib.faces.listByPhoto(other.photoId)[0]!.id;
      ada = lib.people.create('Ada');
      bob = lib.people.create('Bob');
    });
    const facesNow = () => lib.faces.listByPhoto(photoId).map((f) => f.id);
    const decisionsOf = (faceId: number) => lib.decisions.listByFace(faceId).map((x) => [x.personId, x.decision]);
    const confirm = (faceId: number, personId: number, at: number) => {
      lib.decisions.record(faceId, personId, 'confirmed', at);
      lib.faces.setPerson(faceId, personId, 'confirmed');
    };

    it("does not hand the duplicate's decisions to the face that carried the real one", () => {
      confirm(r, ada, 1);
      confirm(d, bob, 2);
      const res = life.applyAnalysis(file, 'h1', analysis([R(), Z()], 'm2'), null);
      const [r2] = facesNow();
      expect(decisionsOf(r2!)).toEqual([[ada, 'confirmed']]);
      expect(lib.faces.get(r2!)).toMatchObject({ personId: ada, assignment: 'confirmed' });
      expect(res).toMatchObject({ decisionsCarried: 1, decisionsOrphaned: 1, decisionsRestored: 0 });
      expect(lib.decisions.orphans()).toMatchObject([{ personId: bob, decision: 'confirmed', box: box(3, 0, 20) }]);
    });

    it.each([
      ['the same content', 'h1'],
      ['edited content', 'h2'],
    ])('does not hand the duplicate\'s "not this person" pairs to carried faces (%s)', (_, hash) => {
      lib.separations.separate(d, [y, z], 3);
      life.applyAnalysis(file, hash, analysis([R(), Z()], 'm2'), null);
      expect(lib.separations.pairs()).toEqual([]);
      expect(lib.separations.orphans().map((o) => o.a.box)).toEqual([box(3, 0, 20), box(3, 0, 20)]);
    });

    it.each([
      ['the same model', 'm1'],
      ['a new model', 'm2'],
    ])("does not hand the duplicate's person to the face that carried the real one (%s)", (_, model) => {
      const p = lib.people.create(null);
      const q = lib.people.create(null);
      lib.faces.setPerson(r, p, 'auto');
      lib.faces.setPerson(d, q, 'auto');
      life.applyAnalysis(file, 'h1', analysis([R(), Z()], model), null);
      const [r2] = facesNow();
      expect(lib.faces.get(r2!)?.personId).toBe(model === 'm1' ? p : null);
      expect(lib.memberships.byHash('h1')).toEqual([]);
    });

    it('gives the duplicate its records back when a later analysis finds it again, next to carried faces', () => {
      confirm(r, ada, 1);
      confirm(d, bob, 2);
      lib.separations.separate(d, [y, z], 3);
      lib.ignored.ignore([e], 'not-a-face', 4);
      life.applyAnalysis(file, 'h1', analysis([R(), Z()], 'm2'), null);
      expect(lib.decisions.orphanCount()).toBe(1);
      expect(lib.separations.orphans()).toHaveLength(2);
      expect(lib.ignored.orphans()).toHaveLength(1);

      const res = life.applyAnalysis(file, 'h1', analysis([R(), D(), Z(), E()], 'm3'), null);
      const [r3, d3, z3, e3] = facesNow();
      expect(res).toMatchObject({ decisionsCarried: 1, decisionsRestored: 1 });
      expect(decisionsOf(r3!)).toEqual([[ada, 'confirmed']]);
      expect(decisionsOf(d3!)).toEqual([[bob, 'confirmed']]);
      expect(lib.faces.get(d3!)).toMatchObject({ personId: bob, assignment: 'confirmed' });
      expect(lib.separations.pairs()).toEqual([
        [Math.min(d3!, y), Math.max(d3!, y)],
        [d3!, z3!],
      ]);
      expect(lib.ignored.list()).toEqual([{ faceId: e3!, reason: 'not-a-face', ignoredAt: 4 }]);
      expect([lib.decisions.orphanCount(), lib.separations.orphans(), lib.ignored.orphans()]).toEqual([0, [], []]);
    });

    it('gives every face its records back when the photo is removed and added again', () => {
      confirm(r, ada, 1);
      confirm(d, bob, 2);
      lib.separations.separate(d, [y, z], 3);
      lib.ignored.ignore([e], 'not-a-face', 4);
      const p = lib.people.create(null);
      lib.faces.setPerson(z, p, 'auto');
      life.remove(photoId);

      photoId = life.applyAnalysis(file, 'h1', analysis([R(), D(), Z(), E()], 'm2'), null).photoId;
      const [r2, d2, z2, e2] = facesNow();
      expect(decisionsOf(r2!)).toEqual([[ada, 'confirmed']]);
      expect(decisionsOf(d2!)).toEqual([[bob, 'confirmed']]);
      expect(lib.faces.get(z2!)).toMatchObject({ personId: p, assignment: 'auto' });
      expect(lib.separations.pairs()).toEqual([
        [Math.min(d2!, y), Math.max(d2!, y)],
        [d2!, z2!],
      ]);
      expect(lib.ignored.list()).toEqual([{ faceId: e2!, reason: 'not-a-face', ignoredAt: 4 }]);
      expect([lib.decisions.orphanCount(), lib.separations.orphans(), lib.ignored.orphans()]).toEqual([0, [], []]);
      expect(lib.memberships.byHash('h1')).toEqual([]);
    });
  });
});
