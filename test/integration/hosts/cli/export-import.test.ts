/**
 * `facenet export` and `facenet import xmp` over libraries built in process with the test pipeline: bad input
 * (usage errors, checked in process: a child process costs seconds on a busy machine), the files written,
 * and the round trip export (xmp) -> import into a fresh library as a user runs it (child processes through
 * bin/facenet.js, with their exit codes).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src-main/hosts/cli/args.js';
import { exportCommand } from '../../../../src-main/hosts/cli/commands/export.js';
import { importCommand } from '../../../../src-main/hosts/cli/commands/import.js';
import { tempDir } from '../../../helpers/tmp.js';
import { printedBy } from '../../../helpers/printed-by.js';
import {
  fingerprint,
  namedPeople,
  nameFamily,
  NAMES,
  openIndexed,
  PLAN,
  writePlan,
} from '../../../helpers/interop-library.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const tmp = tempDir('cli-export-');
const photos = join(tmp.dir, 'photos');
const db = join(tmp.dir, 'lib.db');
const freshDb = join(tmp.dir, 'fresh.db');
let expected: Record<string, string[]>;
let before: Record<string, string>;

function facenet(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(ROOT, 'bin/facenet.js'), ...args], { cwd: tmp.dir }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  await writePlan(photos);
  const api = await openIndexed(db, photos);
  await nameFamily(api);
  expected = namedPeople(api);
  await api.close();
  await (await openIndexed(freshDb, photos)).close();
  before = fingerprint(PLAN.map((p) => join(photos, p.name)));
});
afterAll(() => tmp.cleanup());

describe('facenet export / import xmp', () => {
  it('refuses bad input with a clear usage error', async () => {
    const cases: Array<[(argv: string[]) => Promise<void>, string[], string]> = [
      [exportCommand, ['--library', db, '--out', 'x'], '--format is required'],
      [exportCommand, ['--library', db, '--format', 'pdf', '--out', 'x'], '--format must be one of'],
      [exportCommand, ['--library', db, '--format', 'csv'], 'needs --out'],
      [
        exportCommand,
        ['--library', db, '--format', 'folders', '--out', 'x', '--link', 'move'],
        '--link must be one of',
      ],
      [exportCommand, ['--library', db, '--format', 'xmp', '--out', 'x'], 'next to the photos'],
      [exportCommand, ['--library', db, '--format', 'csv', '--out', 'x', '--people', 'Nobody'], 'no person "Nobody"'],
      [exportCommand, ['--library', join(tmp.dir, 'missing.db'), '--format', 'csv', '--out', 'x'], 'no library at'],
      [exportCommand, ['--library', db, '--format', 'csv', '--out', 'x', '--bogus'], "Unknown option '--bogus'"],
      [importCommand, ['--library', db], 'what to import?'],
      [importCommand, ['lightroom', photos, '--library', db], 'unknown import kind'],
      [importCommand, ['xmp', '--library', db], 'give at least one folder'],
      [importCommand, ['xmp', join(tmp.dir, 'nope'), '--library', db], 'not a folder'],
      [importCommand, ['xmp', tmp.dir, '--library', db], 'not in the library'],
    ];
    for (const [run, argv, message] of cases) {
      const error = await run(argv).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((error as Error).message, argv.join(' ')).toContain(message);
    }
    expect(existsSync(join(tmp.dir, 'x'))).toBe(false);
  });

  it('exports folders and a CSV manifest of the chosen or named people', async () => {
    const out = join(tmp.dir, 'out');
    const printed = await printedBy(
      exportCommand,
      '--library',
      db,
      '--format',
      'folders',
      '--out',
      out,
      '--link',
      'hardlink',
    );
    expect(printed).toContain('exported 10 faces of 3 people in 6 photos');
    expect(readdirSync(out).sort()).toEqual(['Anna', 'Bob _the_ _Builder_', 'Zoë Ø'].sort());
    await printedBy(exportCommand, '--library', db, '--format', 'csv', '--out', out, '--people', 'anna', 'Zoë Ø');
    const lines = readFileSync(join(out, 'facenet-faces.csv'), 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(1 + 4 + 3);
  });

  it('round trip through the binary: export xmp, import xmp into a fresh library, same named people', async () => {
    const [exported, bad] = await Promise.all([
      facenet('export', '--library', db, '--format', 'xmp', '--json'),
      facenet('export', '--library', db, '--format', 'pdf', '--out', 'x'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('facenet export: --format must be one of');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'xmp', written: 6, errors: [] });
    const imported = await facenet('import', 'xmp', photos, '--library', freshDb);
    expect(imported.stderr).toContain('import: read 8/8'); // progress, and nothing else
    expect(imported.stderr).not.toMatch(/error|not indexed/i);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('read 10 named face regions in 6 of 8 indexed photos');
    expect(imported.stdout).toContain(
      '10 matched to detected faces, 0 new faces, 0 already confirmed; 3 people (3 new)',
    );
    const fresh = await openIndexed(freshDb, photos);
    try {
      expect(namedPeople(fresh)).toEqual(expected);
      expect(Object.keys(expected).sort()).toEqual(Object.values(NAMES).sort());
    } finally {
      await fresh.close();
    }
    expect(fingerprint(PLAN.map((p) => join(photos, p.name)))).toEqual(before);
  });
});
