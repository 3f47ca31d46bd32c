/**
 * Issue 13: the CLI calls a person without a name "Unnamed #<id>", as the app, History and export folders do,
 * and accepts that name (or "#<id>") wherever it takes a person. In process, on a real indexed library.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveCommand, nameCommand } from '../../../../src-main/hosts/cli/commands/edit.js';
import { peopleCommand, personCommand } from '../../../../src-main/hosts/cli/commands/people.js';
import { openIndexed, SIZE } from '../../../helpers/interop-library.js';
import { makePhoto } from '../../../helpers/images.js';
import { tempDir } from '../../../helpers/tmp.js';
import { printedBy } from '../../../helpers/printed-by.js';

const tmp = tempDir('cli-unnamed-');
const photos = join(tmp.dir, 'photos');
const db = join(tmp.dir, 'lib.db');
let unnamed: number;
let faceIds: number[];

beforeAll(async () => {
  await makePhoto(join(photos, 'p.jpg'), { faces: [{ cell: 5, identity: 1 }], seed: 4, size: SIZE });
  await makePhoto(join(photos, 'q.jpg'), { faces: [{ cell: 2, identity: 2 }], seed: 5, size: SIZE });
  const api = await openIndexed(db, photos);
  faceIds = [...api.library.library.faces.iterateAll()].map((f) => f.id);
  unnamed = (await api.moveFaces({ faceIds: [faceIds[0]!], to: { newPerson: true } })).personId;
  await api.close();
}, 60_000);
afterAll(() => tmp.cleanup());

describe('an unnamed person on the command line', () => {
  it('facenet people and facenet person call them "Unnamed #<id>"', async () => {
    expect(await printedBy(peopleCommand, '--library', db)).toContain(`Unnamed #${unnamed}`);
    const person = await printedBy(personCommand, `#${unnamed}`, '--library', db);
    expect(person.split('\n')[0]).toMatch(new RegExp(`^Unnamed #${unnamed}  1 faces?, 1 confirmed`));
    expect(await printedBy(personCommand, `Unnamed #${unnamed}`, '--library', db)).toBe(person);
  });

  it('facenet move says which new person it made, by that name; facenet name takes "#<id>"', async () => {
    const moved = await printedBy(moveCommand, String(faceIds[1]!), 'new', '--library', db);
    const id = Number(/^face \d+ moved to Unnamed #(\d+) \(a new person\)$/.exec(moved)?.[1]);
    expect(id).toBeGreaterThan(0);
    expect(await printedBy(nameCommand, `#${id}`, 'Ann', '--library', db)).toBe(`Unnamed #${id} is now named "Ann"`);
  });
});
