/**
 * A damaged library, or a file that is not a library, is one clear sentence from the CLI, not a stack trace
 * (real SQLite files, the real CLI).
 */
import Database from 'better-sqlite3';
import { mkdirSync, openSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../helpers/tmp.js';
import { facenet } from '../../../helpers/facenet-cli.js';

const tmp = tempDir('facenet-cli-db-');
afterAll(() => tmp.cleanup());

describe('database failures in the CLI', () => {
  it('a damaged library: one sentence, no stack trace', () => {
    const lib = join(tmp.dir, 'lib.db');
    const folder = join(tmp.dir, 'empty');
    mkdirSync(folder);
    expect(facenet(['index', folder, '--library', lib]).stderr).not.toMatch(/\n\s+at /);
    // Enough folder rows for pages of their own at the end of the file, then those pages overwritten.
    const db = new Database(lib);
    const insert = db.prepare('insert into library_folders(path, added_at) values (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`/nowhere/${i}/${'p'.repeat(100)}`, 1);
    })();
    db.close();
    const size = statSync(lib).size;
    const fd = openSync(lib, 'r+');
    writeSync(fd, Buffer.alloc(30 * 4096, 0xab), 0, 30 * 4096, size - 40 * 4096);
    closeSync(fd);
    const r = facenet(['status', '--library', lib]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/the library database is damaged/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('a file that is not a library: one sentence', () => {
    const lib = join(tmp.dir, 'not-a-library.db');
    writeFileSync(lib, 'these are my notes, not a database\n'.repeat(200));
    const r = facenet(['status', '--library', lib]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not a FaceNet library/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
