/**
 * listPhotos over a real SQLite library of drawn photos (test/helpers/photos-library.ts): newest first by
 * capture date, else file date; per library folder; per person (a person's photos, not faces); "A and B
 * together"; paging; photos without faces included; the face count leaves out "not a face". And the SQL it runs
 * reads its page from the v6 indexes (no sort of the whole library per page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoPageDto } from '../../../src-shared/api.js';
import { tempDir } from '../../helpers/tmp.js';
import { openPhotosLibrary, type PhotosLibrary } from '../../helpers/photos-library.js';
import { rejected } from '../../helpers/rejected.js';

const tmp = tempDir('list-photos-');
let lib: PhotosLibrary;

beforeAll(async () => {
  lib = await openPhotosLibrary(tmp.dir);
});
afterAll(async () => {
  await lib.api.close();
  tmp.cleanup();
});

const names = (page: PhotoPageDto): string[] => page.photos.map((p) => lib.names.get(p.id)!);

/** The two photos with the same capture date: the higher id first. */
function ties(): string[] {
  const [a, b] = ['tie-1.png', 'tie-2.png'];
  return lib.photoIds.get(a)! > lib.photoIds.get(b)! ? [a, b] : [b, a];
}

describe('listPhotos', () => {
  it('lists every analysed photo newest first, by capture date or else file date, faceless photos too', async () => {
    const page = await lib.api.listPhotos({});
    expect(page.total).toBe(10);
    expect(page.offset).toBe(0);
    expect(names(page)).toEqual([
      'abc.png',
      'ac.png',
      'empty.png',
      'ab.png',
      ...ties(),
      'b.png',
      'a-old.png',
      'nodate.png',
      'c.png',
    ]);
    const byName = new Map(page.photos.map((p) => [lib.names.get(p.id)!, p]));
    expect(byName.get('ab.png')).toEqual({
      id: lib.photoIds.get('ab.png'),
      width: 64,
      height: 64,
      takenAt: '2021-07-04T12:00:00',
      capturedAt: '2021-07-04T12:00:00',
      faceCount: 2,
    });
    // No EXIF date: sorted (and shown) by the file's date.
    expect(byName.get('abc.png')).toMatchObject({ takenAt: null, capturedAt: '2024-02-02T00:00:00', faceCount: 3 });
    expect(byName.get('empty.png')).toMatchObject({ faceCount: 0 });
    expect(byName.get('nodate.png')).toMatchObject({ takenAt: null, capturedAt: '2018-01-01T00:00:00' });
  });

  it('pages: consecutive pages make the whole list, the total is the whole count, past the end is empty', async () => {
    const whole = names(await lib.api.listPhotos({}));
    const pages: string[] = [];
    for (let offset = 0; offset < 10; offset += 3) {
      const page = await lib.api.listPhotos({ offset, limit: 3 });
      expect(page.total).toBe(10);
      expect(page.offset).toBe(offset);
      expect(page.photos.length).toBe(Math.min(3, 10 - offset));
      pages.push(...names(page));
    }
    expect(pages).toEqual(whole);
    expect((await lib.api.listPhotos({ offset: 10, limit: 3 })).photos).toEqual([]);
    expect((await lib.api.listPhotos({ limit: 0 })).total).toBe(10);
  });

  it('per library folder', async () => {
    expect(names(await lib.api.listPhotos({ folderId: lib.folderIds.home }))).toEqual([
      'empty.png',
      'ab.png',
      'b.png',
      'a-old.png',
      'nodate.png',
    ]);
    const trip = await lib.api.listPhotos({ folderId: lib.folderIds.trip, offset: 1, limit: 2 });
    expect(trip.total).toBe(5);
    expect(names(trip)).toEqual(['ac.png', ties()[0]]);
  });

  it("per person: the person's photos, each once, including group photos", async () => {
    const a = await lib.api.listPhotos({ personIds: [lib.personIds.A] });
    expect(names(a)).toEqual(['abc.png', 'ac.png', 'ab.png', 'a-old.png']);
    expect(a.total).toBe(4);
    expect(names(await lib.api.listPhotos({ personIds: [lib.personIds.C] }))).toEqual(['abc.png', 'ac.png', 'c.png']);
  });

  it('A and B together: only photos where every chosen person appears; with a folder too', async () => {
    const { A, B, C } = lib.personIds;
    expect(names(await lib.api.listPhotos({ personIds: [A, B] }))).toEqual(['abc.png', 'ab.png']);
    expect(names(await lib.api.listPhotos({ personIds: [B, C] }))).toEqual(['abc.png']);
    expect(names(await lib.api.listPhotos({ personIds: [A, B, C] }))).toEqual(['abc.png']);
    // The same person twice is one person.
    expect(names(await lib.api.listPhotos({ personIds: [B, B] }))).toEqual(['abc.png', 'ab.png', 'b.png']);
    const home = await lib.api.listPhotos({ personIds: [A, B], folderId: lib.folderIds.home });
    expect(names(home)).toEqual(['ab.png']);
    expect(home.total).toBe(1);
  });

  it('follows the user: a face that is "not a face" leaves the count and the person', async () => {
    const c = lib.photoIds.get('c.png')!;
    const face = (await lib.api.getPhoto({ photoId: c })).faces[0]!;
    const undo = await lib.api.ignoreFaces({ faceIds: [face.id], reason: 'not-a-face' });
    expect(undo.label).toBeTruthy();
    const all = await lib.api.listPhotos({});
    expect(all.photos.find((p) => p.id === c)?.faceCount).toBe(0);
    expect(names(await lib.api.listPhotos({ personIds: [lib.personIds.C] }))).toEqual(['abc.png', 'ac.png']);
    await lib.api.undo();
    expect(names(await lib.api.listPhotos({ personIds: [lib.personIds.C] }))).toEqual(['abc.png', 'ac.png', 'c.png']);
  });

  it('refuses bad requests with plain reasons', async () => {
    expect((await rejected(lib.api.call('listPhotos', { offset: -1 }))).code).toBe('bad-request');
    expect((await rejected(lib.api.call('listPhotos', { limit: 5000 }))).code).toBe('bad-request');
    expect((await rejected(lib.api.call('listPhotos', { personIds: ['1'] }))).code).toBe('bad-request');
    expect((await rejected(lib.api.call('listPhotos', { folderId: 999 }))).code).toBe('not-found');
    expect((await rejected(lib.api.call('listPhotos', { personIds: [lib.personIds.A, 999] }))).code).toBe('not-found');
  });

  it('reads each page from the capture-date indexes, never sorting the whole library', async () => {
    const db = lib.api.library.library.db;
    const seen: Array<{ sql: string }> = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      seen.push({ sql });
      return prepare(sql);
    }) as typeof db.prepare;
    try {
      await lib.api.listPhotos({ offset: 2, limit: 3 });
      await lib.api.listPhotos({ folderId: lib.folderIds.trip, offset: 1, limit: 3 });
    } finally {
      db.prepare = prepare as typeof db.prepare;
    }
    const pages = seen.filter((s) => /FROM photos p\b[\s\S]*ORDER BY/.test(s.sql));
    expect(pages).toHaveLength(2);
    const plans = pages.map((s, i) =>
      (
        db
          .prepare(`EXPLAIN QUERY PLAN ${s.sql}`)
          .all(i === 0 ? { limit: 3, offset: 2 } : { limit: 3, offset: 1, folderId: lib.folderIds.trip }) as Array<{
          detail: string;
        }>
      )
        .map((r) => r.detail)
        .join('\n'),
    );
    expect(plans[0]).toMatch(/USING INDEX photos_captured/);
    expect(plans[1]).toMatch(/USING INDEX photos_folder_captured/);
    for (const plan of plans) expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });
});

describe('browseFolders', () => {
  it('lists subfolder names only, hidden ones left out, with the parent', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { join, dirname } = await import('node:path');
    const root = join(tmp.dir, 'browse');
    for (const d of ['Zoo', 'apple', '.hidden', 'Beach 2', 'Beach 10']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'photo.jpg'), 'not listed');
    const listing = await lib.api.browseFolders({ path: root });
    expect(listing.path).toBe(root);
    expect(listing.parent).toBe(dirname(root));
    expect(listing.folders.map((f) => f.name)).toEqual(['apple', 'Beach 2', 'Beach 10', 'Zoo']);
    expect(listing.folders[0]).toEqual({ name: 'apple', path: join(root, 'apple') });
    expect((await lib.api.browseFolders({ path: '/' })).parent).toBeNull();
    const { homedir } = await import('node:os');
    expect((await lib.api.browseFolders({})).path).toBe(homedir());
    expect((await lib.api.browseFolders({ path: '~' })).path).toBe(homedir());
    const missing = await rejected(lib.api.call('browseFolders', { path: join(root, 'nope') }));
    expect(missing.code).toBe('bad-request');
    expect(missing.message).toMatch(/there is no folder/);
    expect((await rejected(lib.api.call('browseFolders', { path: join(root, 'photo.jpg') }))).message).toMatch(
      /is a file, not a folder/,
    );
    expect((await rejected(lib.api.call('browseFolders', { path: 'relative' }))).code).toBe('bad-request');
  });
});
