/**
 * `importXmp` over an indexed library, with ExifTool as the independent writer: regions written the way
 * digiKam writes them (MWG + MP in `photo.jpg.xmp`, normalised to the stored pixels, a little looser than the
 * detector's boxes; digiKam TagsList) and embedded in a photo become the right people; an existing person
 * with that name is reused; the user's own decisions win; photos that are not indexed are reported; a
 * region without a detected face becomes a face. The photos are never modified by the import.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineApi } from '../../../../src-main/app/engine-api.js';
import { makePhoto } from '../../../helpers/images.js';
import { GRID } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';
import { exiftoolBatch, HAS_EXIFTOOL } from '../../../helpers/oriented-photos.js';
import {
  A,
  B,
  C,
  D,
  fingerprint,
  identityOf,
  namedPeople,
  openIndexed,
  PLAN,
  SIZE,
  writePlan,
} from '../../../helpers/interop-library.js';

const tmp = tempDir('import-service-');
const photos = join(tmp.dir, 'photos');
const CELL = SIZE / GRID;
const XMP_NAMES: Record<number, string> = { [A]: 'Anna', [B]: 'Bob', [C]: 'Carl' };
let api: EngineApi;
let before: Record<string, string>;
let bobId: number;

/** A region around a drawn cell, in stored pixels (makePhoto stores the cells as drawn), 3 px looser. */
function cellArea(cell: number): string {
  const x = (cell % GRID) * CELL - 3;
  const y = Math.floor(cell / GRID) * CELL - 3;
  const w = CELL + 6;
  const h = CELL + 6;
  const cx = Math.min(1, Math.max(0, (x + w / 2) / SIZE));
  const cy = Math.min(1, Math.max(0, (y + h / 2) / SIZE));
  return `{X=${cx},Y=${cy},W=${w / SIZE},H=${h / SIZE},Unit=normalized}`;
}
function cellRect(cell: number): string {
  const x = Math.max(0, (cell % GRID) * CELL - 3) / SIZE;
  const y = Math.max(0, Math.floor(cell / GRID) * CELL - 3) / SIZE;
  return [x, y, (CELL + 6) / SIZE, (CELL + 6) / SIZE].join('|, ');
}

/** ExifTool arguments writing regions as digiKam does (MWG + MP + TagsList). */
function digikamArgs(regions: { cell: number; name?: string }[]): string[] {
  const mwg = regions.map((r) => `{Area=${cellArea(r.cell)},${r.name ? `Name=${r.name},` : ''}Type=Face}`).join(',');
  const mp = regions
    .filter((r) => r.name)
    .map((r) => `{PersonDisplayName=${r.name},Rectangle=${cellRect(r.cell)}}`)
    .join(',');
  return [
    `-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=${SIZE},H=${SIZE},Unit=pixel},RegionList=[${mwg}]}`,
    ...(mp ? [`-XMP-MP:RegionInfoMP={Regions=[${mp}]}`] : []),
    ...regions.filter((r) => r.name).map((r) => `-XMP-digiKam:TagsList+=People/${r.name}`),
  ];
}

beforeAll(async () => {
  // The sidecars are written by ExifTool (as digiKam would), independently of our own XMP writer.
  if (!HAS_EXIFTOOL) return;
  await writePlan(photos);
  // p5: its regions embedded in the photo itself (before indexing; the import only reads it).
  const p5 = PLAN.find((p) => p.name === 'p5.jpg')!;
  await exiftoolBatch(tmp.dir, [
    [
      ...digikamArgs(p5.faces.map((f) => ({ cell: f.cell, name: XMP_NAMES[f.identity] }))),
      '-overwrite_original',
      join(photos, 'p5.jpg'),
    ],
  ]);
  api = await openIndexed(join(tmp.dir, 'lib.db'), photos);
  const lib = api.library.library;
  // The user already named B's person "bob", and confirmed p1's face of A as D's person.
  const faces = [...lib.faces.iterateAll()];
  bobId = faces.find((f) => identityOf(f.embedding) === B)!.personId!;
  await api.renamePerson({ personId: bobId, name: 'bob' });
  const p1 = lib.photos.getByPath(join(photos, 'p1.jpg'))!;
  const dFace = faces.find((f) => identityOf(f.embedding) === D)!;
  await api.moveFaces({ faceIds: [lib.faces.listByPhoto(p1.id)[0]!.id], to: { personId: dFace.personId! } });

  // Sidecars for every other photo, the way digiKam writes them; D's faces stay unnamed; p1 also gets a
  // region where the detector found nothing ("Ghost", cell 14).
  const commands: string[][] = [];
  for (const p of PLAN.filter((x) => x.name !== 'p5.jpg')) {
    const regions = p.faces.map((f) => ({
      cell: f.cell,
      ...(XMP_NAMES[f.identity] ? { name: XMP_NAMES[f.identity] } : {}),
    }));
    if (p.name === 'p1.jpg') regions.push({ cell: 14, name: 'Ghost' });
    commands.push([...digikamArgs(regions), '-o', join(photos, `${p.name}.xmp`), join(photos, p.name)]);
  }
  // A photo added after indexing, with a sidecar: reported, not imported.
  await makePhoto(join(photos, 'late.jpg'), { faces: [{ cell: 0, identity: A }], seed: 99, size: SIZE });
  commands.push([
    ...digikamArgs([{ cell: 0, name: 'Anna' }]),
    '-o',
    join(photos, 'late.jpg.xmp'),
    join(photos, 'late.jpg'),
  ]);
  await Promise.all(commands.map((c) => rm(c[c.length - 2]!, { force: true })));
  await exiftoolBatch(tmp.dir, commands);
  before = fingerprint([...PLAN.map((p) => join(photos, p.name)), join(photos, 'late.jpg')]);
});
afterAll(async () => {
  await api?.close();
  tmp.cleanup();
});

describe.skipIf(!HAS_EXIFTOOL)('importXmp', () => {
  it('names the right people from digiKam-style sidecars and embedded XMP', async () => {
    const r = await api.importXmp({ folders: [photos] });
    expect(r.errors).toEqual([]);
    expect(r.notIndexed).toEqual([join(photos, 'late.jpg')]);
    expect(r.photos).toBe(PLAN.length);
    // Named regions: A x4 (+0), B x3, C x3, Ghost x1 = 11; D's two regions are unnamed.
    expect(r.regions).toBe(11);
    expect(r.unnamedRegions).toBe(2);
    expect(r.conflicts).toEqual([
      { path: join(photos, 'p1.jpg'), name: 'Anna', reason: expect.stringContaining('you confirmed this face as') },
    ]);
    // Naming "bob" confirmed B's three faces, so those regions are already confirmed; A x3 and C x3 match.
    expect(r.matched).toBe(6);
    expect(r.alreadyConfirmed).toBe(3);
    expect(r.created).toBe(1);
    expect(r.people).toBe(4);
    expect(r.newPeople).toBe(3); // Anna, Carl, Ghost; "Bob" is the existing "bob"
    expect(r.reclustered).not.toBeNull();

    // Who is in each named person: the drawn identity of every face (read from its embedding) and the photo.
    const lib = api.library.library;
    const members = (name: string): string[] => {
      const person = lib.people.list().find((p) => p.name === name)!;
      return lib.faces
        .listByPerson(person.id)
        .map(
          (f) =>
            `${lib.photos.get(f.photoId)!.path.slice(photos.length + 1)}:${identityOf(lib.faces.get(f.id)!.embedding)}`,
        )
        .sort();
    };
    expect(members('Anna')).toEqual([`p0.jpg:${A}`, `p5.jpg:${A}`, `sub/p3.jpg:${A}`]);
    expect(members('bob')).toEqual([`p0.jpg:${B}`, `p4.jpg:${B}`, `sub/p2.jpg:${B}`]);
    expect(members('Carl')).toEqual([`p5.jpg:${C}`, `sub/p2.jpg:${C}`, `sub/p3.jpg:${C}`]);
    expect(lib.people.list().filter((p) => p.name?.toLowerCase() === 'bob')).toHaveLength(1);
    // The face made from the region: the region's box (orientation 1: stored = displayed), clipped to the photo.
    expect(namedPeople(api).Ghost).toEqual(['p1.jpg@29,45,22,19']);
    // Anna's faces are where the drawn cells are displayed (orientation 6 and 8 turn them).
    expect(namedPeople(api).Anna).toEqual(['p0.jpg@0,0,16,16', 'p3.jpg@0,0,16,16', 'p5.jpg@0,32,16,16']);
    expect(api.library.library.people.get(bobId)!.name).toBe('bob');
    // Every imported face is a confirmed decision.
    for (const name of ['Anna', 'bob', 'Carl', 'Ghost']) {
      const person = (await api.listPeople({})).find((p) => p.name === name)!;
      expect(person.confirmedCount, name).toBe(person.faceCount);
    }
  });

  it('never modified a photo', () => {
    expect(fingerprint([...PLAN.map((p) => join(photos, p.name)), join(photos, 'late.jpg')])).toEqual(before);
  });

  it('refuses folders that do not exist', async () => {
    await expect(api.call('importXmp', { folders: [join(tmp.dir, 'nope')] })).rejects.toMatchObject({
      code: 'bad-request',
    });
    await expect(api.call('importXmp', { folders: [] })).rejects.toMatchObject({ code: 'bad-request' });
  });
});
