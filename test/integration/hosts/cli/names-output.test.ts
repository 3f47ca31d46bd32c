/**
 * Issue 12 item 6: `facenet people`, `facenet person` and `facenet errors` never write a raw control or bidi
 * character to the terminal, whatever the library holds (a name stored before names were cleaned, a photo
 * file named with an escape sequence): they are shown as `\x1b`, `\u202e`. Checked in process (a child
 * process costs seconds on a busy machine); `--json` output stays exact (JSON escapes controls itself).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peopleCommand, personCommand } from '../../../../src-main/hosts/cli/commands/people.js';
import { errorsCommand } from '../../../../src-main/hosts/cli/commands/status.js';
import { openIndexed, SIZE } from '../../../helpers/interop-library.js';
import { makePhoto } from '../../../helpers/images.js';
import { tempDir } from '../../../helpers/tmp.js';
import { printedBy } from '../../../helpers/printed-by.js';

const ESC = '\u001b';
const RLO = '\u202e';
const tmp = tempDir('cli-names-');
const photos = join(tmp.dir, 'photos');
const db = join(tmp.dir, 'lib.db');
const DIRTY = `Ann${ESC}]0;pwned${ESC}\\${ESC}[2J${RLO}xe`;
const BAD_PHOTO = join(photos, `bad${ESC}[31m${RLO}gpj.jpg`);
// Raw controls a terminal acts on (C0 other than newline, DEL, C1) and bidi controls.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
let personId: number;

beforeAll(async () => {
  await makePhoto(join(photos, 'p.jpg'), { faces: [{ cell: 5, identity: 1 }], seed: 4, size: SIZE });
  writeFileSync(BAD_PHOTO, 'not a jpeg');
  const api = await openIndexed(db, photos);
  // A name as an older library (or another writer of the database) may hold it.
  const lib = api.library.library;
  const face = [...lib.faces.iterateAll()][0]!;
  personId = (await api.moveFaces({ faceIds: [face.id], to: { newPerson: true, name: 'Ann' } })).personId;
  lib.people.rename(personId, DIRTY);
  await api.close();
}, 60_000);
afterAll(() => tmp.cleanup());

describe('terminal output of names and paths', () => {
  it('facenet people escapes control and bidi characters in names', async () => {
    const out = await printedBy(peopleCommand, '--library', db);
    expect(out).not.toMatch(UNSAFE);
    expect(out).toContain('Ann\\x1b]0;pwned\\x1b\\\\x1b[2J\\u202exe');
  });

  it('facenet person escapes them too', async () => {
    const out = await printedBy(personCommand, String(personId), '--library', db);
    expect(out).not.toMatch(UNSAFE);
    expect(out).toContain('\\x1b[2J');
  });

  it('facenet errors escapes them in paths', async () => {
    const out = await printedBy(errorsCommand, '--library', db);
    expect(out).not.toMatch(UNSAFE);
    expect(out).toContain('bad\\x1b[31m\\u202egpj.jpg');
  });

  it('--json stays exact (JSON escapes controls itself)', async () => {
    const out = await printedBy(peopleCommand, '--library', db, '--json');
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u001f]/);
    expect((JSON.parse(out) as { name: string | null }[]).map((p) => p.name)).toContain(DIRTY);
  });
});
