/** A library from before ignored faces (schema v4) opens: v5 adds `ignored_faces`, leaving every row as it was. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src-main/engine/storage/database.js';
import { Library } from '../../../../src-main/engine/storage/library.js';
import { migrate, migrations, SCHEMA_VERSION } from '../../../../src-main/engine/storage/migrations.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('migration v5: ignored faces', () => {
  it('opens a v4 library with its faces, and ignores by reason from then on', () => {
    const file = join(tmp.dir, 'v4.db');
    const old = new Database(file);
    migrate(old, migrations.slice(0, 4));
    old.exec(`
      INSERT INTO library_folders (id, path, added_at) VALUES (1, '/p', 1);
      INSERT INTO photos (id, folder_id, path, size, mtime_ms, status) VALUES (1, 1, '/p/a.jpg', 1, 1, 'done');
      INSERT INTO people (id, name, created_at) VALUES (1, 'Ada', 1);
      INSERT INTO faces (id, photo_id, box_x, box_y, box_w, box_h, landmarks, score, quality, embedding, features,
        model_version, person_id, assignment, created_at)
      VALUES (1, 1, 0, 0, 10, 10, '[]', 1, 1, x'0000803f', x'0000803f', 'm', 1, 'confirmed', 1),
             (2, 1, 20, 0, 10, 10, '[]', 1, 1, x'0000803f', x'0000803f', 'm', NULL, NULL, 1);
    `);
    expect(old.pragma('user_version', { simple: true })).toBe(4);
    old.close();

    const lib = new Library(openDatabase(file));
    expect(lib.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(lib.faces.listRows([1, 2]).map((f) => [f.id, f.personId])).toEqual([
      [1, 1],
      [2, null],
    ]);
    expect(lib.ignored.list()).toEqual([]);
    expect(lib.faces.unassignedCount('m')).toBe(1);
    lib.ignored.ignore([2], 'stranger', 5);
    expect(lib.ignored.list()).toEqual([{ faceId: 2, reason: 'stranger', ignoredAt: 5 }]);
    expect(lib.faces.unassignedCount('m')).toBe(0);
    expect(lib.faces.vectors('m').map((f) => f.id)).toEqual([1]);
    expect(() => lib.db.prepare("INSERT INTO ignored_faces VALUES (1, 'dog', 1)").run()).toThrow(/CHECK/);
    // The row goes with its face.
    lib.faces.delete(2);
    expect(lib.ignored.count()).toBe(0);
    lib.close();
  });
});
