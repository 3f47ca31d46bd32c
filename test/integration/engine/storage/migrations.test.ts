import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src-main/engine/storage/database.js';
import { migrate, migrations, SCHEMA_VERSION, type Migration } from '../../../../src-main/engine/storage/migrations.js';
import { tempDir } from '../../../helpers/tmp.js';

describe('library database and migrations', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('creates the schema at the latest version with WAL and foreign keys', () => {
    const db = openDatabase(join(tmp.dir, 'a', 'lib.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['face_decisions', 'faces', 'library_folders', 'orphaned_decisions', 'people', 'photos']),
    );
    db.close();
  });

  it('reopening an up-to-date database runs nothing', () => {
    const file = join(tmp.dir, 'b.db');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('applies only the missing migrations, in order, each with its version bump', () => {
    const db = new Database(':memory:');
    const applied: number[] = [];
    const list: Migration[] = [
      (d) => {
        applied.push(1);
        d.exec('CREATE TABLE t1 (x)');
      },
      (d) => {
        applied.push(2);
        d.exec('CREATE TABLE t2 (x)');
      },
    ];
    migrate(db, list.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    migrate(db, list);
    expect(applied).toEqual([1, 2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
  });

  it('a failing migration rolls back entirely and leaves the version where it was', () => {
    const db = new Database(':memory:');
    const bad: Migration = (d) => {
      d.exec('CREATE TABLE half (x)');
      throw new Error('boom');
    };
    expect(() => migrate(db, [...migrations, bad])).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
  });

  it('refuses a database written by a newer schema', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => migrate(db)).toThrow(/newer/);
  });
});
