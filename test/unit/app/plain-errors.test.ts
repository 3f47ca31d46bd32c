/**
 * The one-sentence messages for failures the user can act on. The codes are those better-sqlite3 and Node put
 * on their errors; the fault matrix (test/integration/faults) meets the real ones on a real full disk and a real lock.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { plainProblem } from '../../../src-main/app/plain-errors.js';

describe('plainProblem', () => {
  it.each([
    ['SQLITE_BUSY', 'busy', /in use by another FaceNet process/],
    ['SQLITE_FULL', 'full', /disk is full/],
    ['ENOSPC', 'full', /disk is full/],
    ['SQLITE_IOERR_SHMSIZE', 'io', /could not be read or written/],
    ['SQLITE_IOERR_WRITE', 'io', /could not be read or written/],
    ['EIO', 'io', /could not be read or written/],
    ['SQLITE_CORRUPT', 'corrupt', /damaged/],
    ['SQLITE_NOTADB', 'not-a-library', /not a FaceNet library/],
  ])('%s is %s', (code, kind, message) => {
    const problem = plainProblem(Object.assign(new Error('raw'), { code }));
    expect(problem?.kind).toBe(kind);
    expect(problem?.message).toMatch(message);
  });

  it('anything else is not a plain problem (it is logged with an id instead)', () => {
    expect(plainProblem(new Error('boom'))).toBeNull();
    expect(plainProblem(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBeNull();
    expect(plainProblem(null)).toBeNull();
  });

  it('a real SQLite error carries the code it is recognised by', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x UNIQUE); INSERT INTO t VALUES (1)');
    let error: unknown;
    try {
      db.exec('INSERT INTO t VALUES (1)');
    } catch (e) {
      error = e;
    }
    db.close();
    expect((error as { code?: string }).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
  });
});
