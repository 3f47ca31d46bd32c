/**
 * The library commands through the real CLI: bad input exits non-zero with a clear message (no stack trace),
 * and read-only commands never create a library. The child processes run concurrently to keep the file fast.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../helpers/tmp.js';
import { facenet, facenetAsync } from '../../../helpers/facenet-cli.js';

const tmp = tempDir('facenet-cli-errors-');
afterAll(() => tmp.cleanup());

describe('library commands: bad input', () => {
  const missing = join(tmp.dir, 'missing', 'library.db');
  const cases: Array<[string[], RegExp]> = [
    [['status', '--library', missing], /no library at .*missing/],
    [['people', '--library', missing], /no library at/],
    [['status', '--bogus'], /Unknown option '--bogus'/],
    [['person', '--library', missing], /give exactly one person/],
    [['name', 'only-one-arg', '--library', missing], /expected 2 argument/],
    [['move', 'abc', 'new', '--library', missing], /face must be a numeric id/],
    [['recluster', '--threshold', '9', '--library', missing], /--threshold must be a number/],
    [['index', '--library', join(tmp.dir, 'empty.db')], /give at least one folder/],
    [['index', join(tmp.dir, 'no-such-folder'), '--library', join(tmp.dir, 'x.db')], /not a folder/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ];

  it('every bad command line fails with a clear message', async () => {
    const results = await Promise.all(cases.map(([args]) => facenetAsync(args)));
    results.forEach((r, i) => {
      const [args, message] = cases[i]!;
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /); // a message, not a stack trace
    });
    expect(existsSync(missing)).toBe(false); // read-only commands do not create a library
  });

  it('an unknown person is a clear error', () => {
    const lib = join(tmp.dir, 'real', 'library.db');
    const folder = join(tmp.dir, 'no-photos');
    mkdirSync(folder, { recursive: true });
    expect(facenet(['index', folder, '--library', lib]).code).toBe(0);
    const r = facenet(['person', 'Nobody', '--library', lib]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no person "Nobody"/);
  });
});
