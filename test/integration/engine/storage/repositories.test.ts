import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../../src-main/engine/storage/library.js';
import { fakeFace } from '../../../helpers/fake-faces.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('repositories', () => {
  let lib: Library;
  let n = 0;
  beforeEach(() => {
    lib = Library.open(join(tmp.dir, `repo-${n++}.db`));
  });

  it('folders: add is idempotent per path', () => {
    const a = lib.folders.add('/photos/a');
    expect(lib.folders.add('/photos/a').id).toBe(a.id);
    lib.folders.add('/photos/b');
    expect(lib.folders.list().map((f) => f.path)).toEqual(['/photos/a', '/photos/b']);
  });

  it('photos: unique path, status counts, done and error facts', () => {
    const folder = lib.folders.add('/p');
    const id = lib.photos.upsertFile({ folderId: folder.id, path: '/p/1.jpg', size: 10, mtimeMs: 5 });
    expect(lib.photos.upsertFile({ folderId: folder.id, path: '/p/1.jpg', size: 11, mtimeMs: 6 })).toBe(id);
    lib.photos.insertPending({ folderId: folder.id, path: '/p/1.jpg', size: 1, mtimeMs: 1 });
    lib.photos.insertPending({ folderId: folder.id, path: '/p/2.jpg', size: 1, mtimeMs: 1 });
    lib.photos.markDone(id, {
      contentHash: 'h1',
      width: 4,
      height: 3,
      takenAt: '2020-01-02T03:04:05',
      modelVersion: 'm',
      indexedAt: 9,
    });
    const p2 = lib.photos.getByPath('/p/2.jpg')!;
    lib.photos.markError(p2.id, {
      contentHash: null,
      reason: 'corrupt',
      detail: 'bad',
      modelVersion: 'm',
      indexedAt: 9,
    });
    expect(lib.photos.get(id)).toMatchObject({
      size: 11,
      mtimeMs: 6,
      status: 'done',
      contentHash: 'h1',
      takenAt: '2020-01-02T03:04:05',
    });
    expect(lib.photos.counts()).toEqual({ pending: 0, done: 1, error: 1, total: 2 });
    expect(lib.photos.errors().map((p) => [p.path, p.errorReason])).toEqual([['/p/2.jpg', 'corrupt']]);
    expect(lib.photos.listByHash('h1').map((p) => p.id)).toEqual([id]);
  });

  it('faces: vectors and landmarks round-trip exactly', () => {
    const folder = lib.folders.add('/p');
    const photoId = lib.photos.upsertFile({ folderId: folder.id, path: '/p/1.jpg', size: 1, mtimeMs: 1 });
    const f = fakeFace(3, 4);
    const id = lib.faces.insert(photoId, f, 'm1');
    const back = lib.faces.get(id)!;
    expect(back.box).toEqual(f.box);
    expect(back.landmarks).toEqual(f.landmarks);
    expect(Array.from(back.embedding)).toEqual(Array.from(f.embedding));
    expect(Array.from(back.features)).toEqual([1, 2, 3]);
    expect(back).toMatchObject({ photoId, modelVersion: 'm1', personId: null, assignment: null });
    expect([...lib.faces.iterateAll('m1')].map((x) => x.id)).toEqual([id]);
    expect([...lib.faces.iterateAll('other')]).toEqual([]);
  });

  it('decisions cannot be dropped by deleting their face, photo or person', () => {
    const folder = lib.folders.add('/p');
    const photoId = lib.photos.upsertFile({ folderId: folder.id, path: '/p/1.jpg', size: 1, mtimeMs: 1 });
    const faceId = lib.faces.insert(photoId, fakeFace(0, 0), 'm');
    const person = lib.people.create('Ada');
    lib.decisions.record(faceId, person, 'confirmed');
    expect(() => lib.faces.delete(faceId)).toThrow(/FOREIGN KEY/);
    expect(() => lib.photos.delete(photoId)).toThrow(/FOREIGN KEY/);
    expect(() => lib.people.delete(person)).toThrow(/FOREIGN KEY/);
    expect(lib.decisions.count()).toBe(1);
  });

  it('a decision is unique per face and person; re-recording updates it', () => {
    const folder = lib.folders.add('/p');
    const photoId = lib.photos.upsertFile({ folderId: folder.id, path: '/p/1.jpg', size: 1, mtimeMs: 1 });
    const faceId = lib.faces.insert(photoId, fakeFace(0, 0), 'm');
    const a = lib.people.create(null);
    lib.decisions.record(faceId, a, 'confirmed', 1);
    lib.decisions.record(faceId, a, 'rejected', 2);
    expect(lib.decisions.listByFace(faceId)).toMatchObject([{ personId: a, decision: 'rejected', decidedAt: 2 }]);
  });

  it('reassignPerson moves live and orphaned decisions (merge) so the old person can go', () => {
    const folder = lib.folders.add('/p');
    const photoId = lib.photos.upsertFile({ folderId: folder.id, path: '/p/1.jpg', size: 1, mtimeMs: 1 });
    const f1 = lib.faces.insert(photoId, fakeFace(0, 0), 'm');
    const f2 = lib.faces.insert(photoId, fakeFace(50, 0), 'm');
    const a = lib.people.create('A');
    const b = lib.people.create('B');
    lib.decisions.record(f1, a, 'confirmed');
    lib.decisions.record(f2, a, 'confirmed');
    lib.decisions.record(f2, b, 'confirmed');
    lib.decisions.orphan({
      personId: a,
      decision: 'rejected',
      decidedAt: 1,
      contentHash: 'x',
      photoPath: '/gone.jpg',
      box: { x: 0, y: 0, width: 1, height: 1 },
      embedding: null,
      modelVersion: null,
      reason: 'photo-deleted',
    });
    lib.decisions.reassignPerson(a, b);
    lib.people.delete(a);
    expect(lib.decisions.list().map((d) => [d.faceId, d.personId])).toEqual([
      [f1, b],
      [f2, b],
    ]);
    expect(lib.decisions.orphans().map((o) => o.personId)).toEqual([b]);
  });

  it('people: a deleted person id is never handed out again', () => {
    const a = lib.people.create('A');
    lib.people.delete(a);
    const b = lib.people.create('B');
    expect(b).toBeGreaterThan(a);
    expect(lib.people.get(a)).toBeUndefined();
  });

  it('people: create, rename, hide, cover face cleared when the face goes', () => {
    const folder = lib.folders.add('/p');
    const photoId = lib.photos.upsertFile({ folderId: folder.id, path: '/p/1.jpg', size: 1, mtimeMs: 1 });
    const faceId = lib.faces.insert(photoId, fakeFace(0, 0), 'm');
    const p = lib.people.create(null);
    lib.people.rename(p, 'Grace');
    lib.people.setHidden(p, true);
    lib.people.setCover(p, faceId);
    expect(lib.people.get(p)).toMatchObject({ name: 'Grace', hidden: true, coverFaceId: faceId });
    lib.faces.delete(faceId);
    expect(lib.people.get(p)!.coverFaceId).toBeNull();
  });
});
