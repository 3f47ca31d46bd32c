/**
 * `facenet ignore`, `unignore` and `ignored`: the CLI takes faces out of grouping as the app's Ignored view
 * does (same API), lists them with the reason, and brings them back. In process, on a
 * real indexed library.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ignoreCommand, ignoredCommand, unignoreCommand } from '../../../../src-main/hosts/cli/commands/ignore.js';
import { statusCommand } from '../../../../src-main/hosts/cli/commands/status.js';
import { EngineApi } from '../../../../src-main/app/engine-api.js';
import { openIndexed, SIZE } from '../../../helpers/interop-library.js';
import { makePhoto } from '../../../helpers/images.js';
import { printedBy } from '../../../helpers/printed-by.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir('cli-ignore-');
const photos = join(tmp.dir, 'photos');
const db = join(tmp.dir, 'lib.db');
let faceIds: number[];

beforeAll(async () => {
  await makePhoto(join(photos, 'p.jpg'), { faces: [{ cell: 5, identity: 1 }], seed: 4, size: SIZE });
  await makePhoto(join(photos, 'q.jpg'), { faces: [{ cell: 2, identity: 2 }], seed: 5, size: SIZE });
  const api = await openIndexed(db, photos);
  faceIds = [...api.library.library.faces.iterateAll()].map((f) => f.id);
  await api.close();
}, 60_000);
afterAll(() => tmp.cleanup());

describe('ignoring faces on the command line', () => {
  it('ignores with a reason, lists, and unignores; and the faces leave their people', async () => {
    const [a, b] = faceIds as [number, number];
    expect(await printedBy(ignoreCommand, String(a), '--library', db)).toBe(
      '1 face ignored (not a face): never grouped again until unignored',
    );
    expect(await printedBy(ignoreCommand, String(b), '--reason', 'stranger', '--library', db)).toMatch(
      /^1 face ignored \(stranger\)/,
    );
    const listed = JSON.parse(await printedBy(ignoredCommand, '--json', '--library', db)) as {
      id: number;
      reason: string;
    }[];
    expect(listed.map((f) => [f.id, f.reason]).sort()).toEqual(
      [
        [a, 'not-a-face'],
        [b, 'stranger'],
      ].sort(),
    );
    // `facenet status` counts them apart from the unsorted faces.
    expect(await printedBy(statusCommand, '--library', db)).toMatch(/^faces {8}2 \(0 unsorted, 2 ignored\)$/m);
    const table = await printedBy(ignoredCommand, '--library', db);
    expect(table).toMatch(new RegExp(`^\\s*${a}\\s+\\d+\\s+not a face`, 'm'));

    const api = EngineApi.open(db);
    try {
      const people = await api.listPeople({});
      expect(people.some((p) => p.faceCount > 0)).toBe(false);
    } finally {
      await api.close();
    }

    expect(await printedBy(unignoreCommand, String(a), String(b), '--library', db)).toBe('2 faces no longer ignored');
    expect(await printedBy(ignoredCommand, '--library', db)).toBe('no ignored faces');
    expect(await printedBy(statusCommand, '--library', db)).toMatch(/^faces {8}2 \(\d+ unsorted\)$/m);
  });

  it('says what is wrong with a bad reason or no face', async () => {
    await expect(ignoreCommand(['1', '--reason', 'dog', '--library', db])).rejects.toThrow(
      /--reason must be not-a-face or stranger/,
    );
    await expect(unignoreCommand(['--library', db])).rejects.toThrow(/give at least one face id/);
  });
});
