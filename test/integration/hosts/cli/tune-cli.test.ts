/**
 * `facenet tune --json`, `facenet models`, `facenet models use <v>` on a small library with 256-D features
 * (the shipped dlib layer's input): one JSON object with the before/after figures; versions listed with the
 * active one marked; use/rollback keep the decisions.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { modelsCommand } from '../../../../src-main/hosts/cli/commands/models.js';
import { StoppedByUser } from '../../../../src-main/hosts/cli/args.js';
import { tuneCommand } from '../../../../src-main/hosts/cli/commands/tune.js';
import { Library } from '../../../../src-main/engine/storage/library.js';
import { Rng } from '../../../../src-shared/random.js';
import { loadShippedLayer } from '../../../../models/convert/faceapi/shipped-layer.js';
import { confirmStoredFace, insertStoredFace } from '../../../helpers/stored-face.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir('tune-cli-');
afterAll(() => tmp.cleanup());

function buildLibrary(file: string): void {
  const lib = Library.open(file);
  const shipped = loadShippedLayer();
  const rng = new Rng(7);
  lib.transaction(() => {
    const folder = lib.folders.add(tmp.dir);
    for (let p = 0; p < 6; p++) {
      const centre = Float32Array.from({ length: 256 }, () => Math.abs(rng.normal()));
      const personId = lib.people.create(`P${p}`);
      for (let k = 0; k < 8; k++) {
        const features = centre.map((v) => Math.max(0, v + 0.6 * rng.normal()));
        const photoId = lib.photos.upsertFile({
          folderId: folder.id,
          path: join(tmp.dir, `p${p}-${k}.jpg`),
          size: 1,
          mtimeMs: 1,
        });
        const faceId = insertStoredFace(
          lib,
          photoId,
          { box: { x: 0, y: 0, width: 10, height: 10 }, embedding: shipped.embedEach([features])[0]!, features },
          'synthetic-dlib',
        );
        if (k < 6) confirmStoredFace(lib, faceId, personId);
      }
    }
  });
  lib.close();
}

async function capture(fn: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await fn();
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return lines.join('\n');
}

describe('facenet tune / models', () => {
  it('prints one JSON object, lists versions, applies and rolls back without losing decisions', async () => {
    const db = join(tmp.dir, 'lib.db');
    buildLibrary(db);
    const decisions = () => {
      const lib = Library.open(db);
      const d = lib.decisions.list();
      lib.close();
      return d;
    };
    const before = decisions();
    const report = JSON.parse(await capture(() => tuneCommand(['--json', '--library', db]))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(report).toMatchObject({ version: 1, parent: 0, harmonic: false, labels: { people: 6, faces: 36 } });
    expect(report.heldOut.valAtFar1e3.before).toBeGreaterThanOrEqual(0);
    expect(report.library.faces).toBe(48);
    const list = await capture(() => modelsCommand(['--library', db]));
    expect(list.split('\n')[0]).toMatch(/^\* 0 {2}shipped/);
    expect(list.split('\n')[1]).toMatch(/^ {2}1 .*held-out VAL@1e-3 \S+ -> \S+ from \d+ held-out faces of 6 people/);
    // --json: the API's modelVersions, the report as tune printed it.
    const listed = JSON.parse(await capture(() => modelsCommand(['--json', '--library', db])));
    expect(listed).toMatchObject([
      { version: 0, active: true, createdAt: null, parent: null, report: null },
      { version: 1, active: false, parent: 0, harmonic: false, report },
    ]);
    const people = () => {
      const lib = Library.open(db);
      const rows = lib.db.prepare('SELECT id, person_id, assignment FROM faces ORDER BY id').all();
      const persons = lib.db.prepare('SELECT * FROM people ORDER BY id').all();
      lib.close();
      return { rows, persons };
    };
    const used = JSON.parse(await capture(() => modelsCommand(['use', '1', '--json', '--library', db])));
    // The API's useModelVersion (the app's path): the same result, with its History entry.
    expect(used).toMatchObject({
      version: 1,
      previous: 0,
      reembedded: 48,
      restoredEarlier: false,
      undo: { label: 'Switched recognition from version 0 (shipped) to version 1' },
    });
    expect(used.facesMoved).toBeTypeOf('number');
    const onV1 = people();
    expect(await capture(() => modelsCommand(['--library', db]))).toMatch(/\n\* 1 /);
    expect(decisions()).toEqual(before);
    expect(await capture(() => modelsCommand(['use', '0', '--library', db]))).toMatch(
      /^model version 0 in use \(was 1\): 48 faces re-embedded, \d+ faces? changed person \(people as they were with this version\), \d+ people, \d+ unsorted$/,
    );
    expect(decisions()).toEqual(before);
    // Back on version 1 in another process: its people come back exactly (remembered in the library).
    expect(await capture(() => modelsCommand(['use', '1', '--library', db]))).toMatch(
      /changed person \(people as they were with this version\)/,
    );
    expect(people()).toEqual(onV1);
    // The same command again (as after a kill that came once it had committed): nothing changes.
    expect(await capture(() => modelsCommand(['use', '1', '--library', db]))).toMatch(
      /^model version 1 is already in use: nothing changed \(\d+ people, \d+ unsorted\)$/,
    );
    expect(people()).toEqual(onV1);
    await expect(modelsCommand(['use', 'x', '--library', db])).rejects.toThrow(/version number/);
  }, 25000);

  it('Ctrl+C stops a run with a plain StoppedByUser (one line, exit 130 in main) and makes no version', async () => {
    const db = join(tmp.dir, 'stopped.db');
    buildLibrary(db);
    // Ctrl+C as the command sees it: its SIGINT handler, called when the first epoch is reported. A whole run
    // takes a fraction of a second, so a real signal from outside would race the run's end.
    let sigint: (() => void) | undefined;
    const once = vi.spyOn(process, 'once').mockImplementation(((event: string, handler: () => void) => {
      if (event === 'SIGINT') sigint = handler;
      return process;
    }) as typeof process.once);
    let epochs = 0;
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => {
      if (epochs++ === 0) sigint?.();
      return true;
    });
    try {
      await expect(tuneCommand(['--library', db])).rejects.toThrow(StoppedByUser);
    } finally {
      once.mockRestore();
      err.mockRestore();
    }
    expect(sigint).toBeTypeOf('function');
    expect(epochs).toBeGreaterThan(0);
    expect(epochs).toBeLessThan(40); // stopped, not run to its last epoch
    const lib = Library.open(db);
    const versions = lib.db.prepare('SELECT COUNT(*) AS n FROM embedding_versions').get() as { n: number };
    lib.close();
    expect(versions.n).toBe(0);
  });
});
