/**
 * The library commands through the real CLI on a temporary library and real photos: two identities of
 * ../shared/faces when present, else the face-api demo photos every clone has (plus a mirrored copy, so one
 * person surely has two faces): index (with its progress bar), status, errors, people, person, name, move,
 * merge, recluster.
 */
import { copyFileSync, cpSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonDetailDto, PersonSummaryDto, StatusDto } from '../../../../src-shared/api.js';
import { demoPhotos, realPhotoSource, writeMirrored } from '../../../helpers/demo-photos.js';
import { SHARED_DIR } from '../../../helpers/shared.js';
import { tempDir } from '../../../helpers/tmp.js';
import { facenet } from '../../../helpers/facenet-cli.js';

const tmp = tempDir('facenet-cli-');
afterAll(() => tmp.cleanup());

const SHARED_IDS = ['celeba_07217', 'celeba_07218'];
const source = realPhotoSource(SHARED_DIR, SHARED_IDS);

describe.runIf(source)(`library commands on real photos (${source ?? 'none'})`, () => {
  const photos = join(tmp.dir, 'photos');
  const library = join(tmp.dir, 'lib', 'library.db');
  let photoCount = 0;
  beforeAll(async () => {
    if (source === 'shared') {
      for (const id of SHARED_IDS) {
        mkdirSync(join(photos, id), { recursive: true });
        cpSync(join(SHARED_DIR, 'faces', id), join(photos, id), { recursive: true });
        photoCount += readdirSync(join(photos, id)).length;
      }
    } else {
      mkdirSync(join(photos, 'demo'), { recursive: true });
      const demo = demoPhotos();
      for (const file of demo) copyFileSync(file, join(photos, 'demo', basename(file)));
      await writeMirrored(demo[0]!, join(photos, 'demo', 'mirrored.jpg'));
      photoCount = demo.length + 1;
    }
  });
  const json = <T>(args: string[]): T => {
    const r = facenet([...args, '--library', library, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };

  it('index shows progress on stderr and fills the library', () => {
    const r = facenet(['index', photos, '--library', library]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\d+\/\d+ photos .* photos\/s .* faces +ETA/);
    expect(r.stdout).toMatch(/indexed \d+ photos/);
    const status = json<StatusDto>(['status']);
    expect(status.folders).toBe(1);
    expect(status.photos.done).toBe(photoCount);
    expect(status.faces).toBeGreaterThanOrEqual(photoCount);
    expect(status.people).toBeGreaterThanOrEqual(1);
    expect(facenet(['errors', '--library', library]).stdout).toMatch(/no failed photos/);
  });

  it('name, move and merge change the people', () => {
    const people = json<PersonSummaryDto[]>(['people']);
    const first = people.find((p) => p.faceCount >= 2);
    expect(first, 'a person with two faces').toBeDefined();
    const detail = json<PersonDetailDto>(['person', String(first!.id)]);
    const face = detail.faces[detail.faces.length - 1]!;

    const moved = facenet(['move', String(face.id), 'new', '--library', library]);
    expect(moved.code, moved.stderr).toBe(0);
    const newId = Number(/Unnamed #(\d+) \(a new person\)/.exec(moved.stdout)?.[1]);
    expect(newId).toBeGreaterThan(0);

    expect(facenet(['name', String(newId), 'Bob', '--library', library]).code).toBe(0);
    expect(facenet(['name', String(first!.id), 'Alice', '--library', library]).code).toBe(0);
    const bob = json<PersonDetailDto>(['person', 'Bob']);
    expect(bob.faces.map((f) => f.id)).toEqual([face.id]);
    expect(bob.faces[0]!.assignment).toBe('confirmed');

    const merged = facenet(['merge', 'Alice', 'Bob', '--library', library]);
    expect(merged.code, merged.stderr).toBe(0);
    const alice = json<PersonDetailDto>(['person', 'alice']); // names match case-insensitively
    expect(alice.faces.map((f) => f.id)).toContain(face.id);
    expect(alice.faces.length).toBe(detail.faces.length);
    const after = json<PersonSummaryDto[]>(['people']);
    expect(after.some((p) => p.name === 'Bob')).toBe(false);

    const self = facenet(['merge', 'Alice', String(first!.id), '--library', library]);
    expect(self.code).not.toBe(0);
    expect(self.stderr).toMatch(/with itself/);
  });

  it('recluster keeps the named person', () => {
    const r = facenet(['recluster', '--threshold', '0.3', '--library', library]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/re-clustered at threshold 0.3: \d+ people/);
    expect(json<PersonSummaryDto[]>(['people']).some((p) => p.name === 'Alice')).toBe(true);
  });
});
