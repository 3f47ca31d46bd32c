/**
 * A library from before the Photos view (schema v5) opens: v6 adds the capture-date indexes, leaving every row as
 * it was, and the listing reads them at once (dates from EXIF, else from the file, pending and failed photos out).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src-main/engine/storage/database.js';
import { Library } from '../../../../src-main/engine/storage/library.js';
import { migrate, migrations, SCHEMA_VERSION } from '../../../../src-main/engine/storage/migrations.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('migration v6: capture-date indexes', () => {
  it('opens a v5 library with its photos and lists them newest first', () => {
    const file = join(tmp.dir, 'v5.db');
    const old = new Database(file);
    migrate(old, migrations.slice(0, 5));
    const jan2020 = Date.UTC(2020, 0, 15, 10, 0, 0);
    old.exec(`
      INSERT INTO library_folders (id, path, added_at) VALUES (1, '/p', 1), (2, '/q', 1);
      INSERT INTO photos (id, folder_id, path, size, mtime_ms, status, width, height, taken_at) VALUES
        (1, 1, '/p/old.jpg', 1, 0, 'done', 40, 30, '2019-05-01T10:00:00'),
        (2, 1, '/p/file-date.jpg', 1, ${jan2020}, 'done', 40, 30, NULL),
        (3, 2, '/q/new.jpg', 1, 0, 'done', 30, 40, '2021-07-04T12:00:00'),
        (4, 2, '/q/pending.jpg', 1, 0, 'pending', NULL, NULL, NULL),
        (5, 2, '/q/broken.jpg', 1, 0, 'error', NULL, NULL, NULL);
    `);
    old.close();

    const lib = new Library(openDatabase(file));
    expect(lib.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const indexes = (
      lib.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'photos'").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['photos_captured', 'photos_folder_captured']));
    const page = lib.photos.listByCapture({ offset: 0, limit: 10 });
    expect(page.total).toBe(3);
    expect(page.photos.map((p) => [p.id, p.capturedAt])).toEqual([
      [3, '2021-07-04T12:00:00'],
      [2, '2020-01-15T10:00:00'],
      [1, '2019-05-01T10:00:00'],
    ]);
    expect(lib.photos.listByCapture({ folderId: 2, offset: 0, limit: 10 }).photos.map((p) => p.id)).toEqual([3]);
    lib.close();
  });
});
