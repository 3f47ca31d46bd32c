/**
 * Issue 10's CLI reproductions on ../shared/faces (40 identities, 4-5 photos each, plus group photos): the
 * user's decisions survive `facenet recluster` unchanged, and named people never pick up other identities.
 * 1. Move one identity's faces into one person, name it, re-group at the threshold in use: the person keeps
 *    exactly those faces (it grew to 27 faces of about 10 people before).
 * 6. merge, move into a named person, "not this person", then re-group: every count stays.
 */
import { join, relative, sep } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { PersonDetailDto, PersonSummaryDto } from '../../../../src-shared/api.js';
import { hasShared, SHARED_DIR } from '../../../helpers/shared.js';
import { tempDir } from '../../../helpers/tmp.js';
import { facenet } from '../../../helpers/facenet-cli.js';

const tmp = tempDir('facenet-regroup-');
afterAll(() => tmp.cleanup());
const FACES = join(SHARED_DIR, 'faces');

describe.runIf(hasShared('faces/celeba_07217'))('re-grouping keeps the decisions made in the CLI', () => {
  const library = join(tmp.dir, 'r.sqlite');
  const run = (...args: string[]): string => {
    const r = facenet([...args, '--library', library]);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  const json = <T>(...args: string[]): T => JSON.parse(run(...args, '--json')) as T;
  const people = (): PersonSummaryDto[] => json<PersonSummaryDto[]>('people');
  const facesOf = (person: string | number): number[] =>
    json<PersonDetailDto>('person', String(person))
      .faces.map((f) => f.id)
      .sort((a, b) => a - b);
  /** Identity folder of every face (from the library file itself). */
  const identityOfFace = (): Map<number, string> => {
    const db = new Database(library, { readonly: true });
    try {
      const rows = db.prepare('SELECT f.id, p.path FROM faces f JOIN photos p ON p.id = f.photo_id').all() as {
        id: number;
        path: string;
      }[];
      return new Map(rows.map((r) => [r.id, relative(FACES, r.path).split(sep)[0] as string]));
    } finally {
      db.close();
    }
  };

  it('indexes the photos', () => {
    expect(run('index', FACES)).toMatch(/indexed 206 photos/);
  });

  it('1. a person built by hand from one identity keeps exactly its faces after re-grouping', () => {
    const identity = identityOfFace();
    // The first identity folder by name.
    const byFolder = new Map<string, number[]>();
    for (const [face, folder] of identity) {
      if (!folder.startsWith('celeba_')) continue;
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), face]);
    }
    const [folder, faces] = [...byFolder].sort((a, b) => a[0].localeCompare(b[0]))[0]!;
    const db = new Database(library, { readonly: true });
    const { person_id: target } = db.prepare('SELECT person_id FROM faces WHERE id = ?').get(faces[0]) as {
      person_id: number;
    };
    db.close();
    for (const face of faces) run('move', String(face), String(target));
    run('name', String(target), 'Alice');
    expect(facesOf('Alice')).toEqual([...faces].sort((a, b) => a - b));
    run('recluster', '--threshold', '0.13');
    const alice = facesOf('Alice');
    expect(alice.map((f) => identity.get(f))).toEqual(alice.map(() => folder));
    expect(alice).toEqual([...faces].sort((a, b) => a - b));
  });

  // About fifteen `facenet` processes in a row, each starting Node and opening the library: 60-100 s on the
  // 2-core machine alone, past the integration project's 120 s when another suite loads the cores.
  it('6. merge, move and "not this person" all survive a re-grouping', () => {
    const unnamed = people().filter((p) => p.name === null && p.faceCount >= 4);
    const [eve, other, anna, donor, ben] = unnamed;
    run('name', String(eve!.id), 'Eve');
    run('merge', 'Eve', String(other!.id));
    run('name', String(anna!.id), 'Anna');
    const moved = facesOf(donor!.id)[0]!;
    run('move', String(moved), 'Anna');
    run('name', String(ben!.id), 'Ben');
    const rejected = facesOf('Ben')[0]!;
    run('reject', String(rejected), 'Ben');

    const before = { eve: facesOf('Eve'), anna: facesOf('Anna'), ben: facesOf('Ben') };
    expect(before.eve).toHaveLength(eve!.faceCount + other!.faceCount);
    expect(before.anna).toHaveLength(anna!.faceCount + 1);
    expect(before.ben).toHaveLength(ben!.faceCount - 1);
    run('recluster');
    expect({ eve: facesOf('Eve'), anna: facesOf('Anna'), ben: facesOf('Ben') }).toEqual(before);
    expect(facesOf('Ben')).not.toContain(rejected);
    // And again: re-grouping with no new decision changes nothing.
    const all = people();
    run('recluster');
    expect(people()).toEqual(all);
  }, 300_000);
});
