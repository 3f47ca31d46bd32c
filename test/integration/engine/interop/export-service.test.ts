/**
 * ExportService over an indexed library (through EngineApi.exportPeople, the app's and the CLI's path):
 * folders, manifests and XMP sidecars of the named people; ExifTool reads the sidecars back with the right
 * names and boxes; originals are never touched; the round trip export -> import into a fresh library
 * reproduces the same named people, including faces the second detector missed.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../../src-shared/api.js';
import type { EngineApi } from '../../../../src-main/app/engine-api.js';
import { parseCsv, CSV_COLUMNS } from '../../../../src-main/engine/interop/manifest.js';
import { boxToStoredRect, orientedImageFromStored } from '../../../../src-main/engine/interop/orientation.js';
import { makePhoto } from '../../../helpers/images.js';
import { tempDir } from '../../../helpers/tmp.js';
import { exiftoolJson, HAS_EXIFTOOL, NO_EXIFTOOL } from '../../../helpers/oriented-photos.js';
import {
  A,
  C,
  D,
  fingerprint,
  namedPeople,
  nameFamily,
  NAMES,
  openIndexed,
  PLAN,
  RegionPipeline,
  writePlan,
} from '../../../helpers/interop-library.js';
import { rejected } from '../../../helpers/rejected.js';

const tmp = tempDir('export-service-');
const photos = join(tmp.dir, 'photos');
const photoPaths = PLAN.map((p) => join(photos, p.name));
let api: EngineApi;
let before: Record<string, string>;
const events: ApiEvent[] = [];

beforeAll(async () => {
  await writePlan(photos);
  api = await openIndexed(join(tmp.dir, 'lib.db'), photos);
  await nameFamily(api);
  api.on((e) => events.push(e));
  before = fingerprint(photoPaths);
});
afterAll(async () => {
  await api?.close();
  tmp.cleanup();
});

describe('ExportService', () => {
  it('exports the named people as folders of symlinks, twice without duplicates, with progress', async () => {
    const out = join(tmp.dir, 'out-folders');
    const r = (await api.call('exportPeople', { format: 'folders', out })) as Awaited<
      ReturnType<EngineApi['exportPeople']>
    >;
    expect(r.people).toBe(3);
    expect(r.errors).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['Anna', 'Bob _the_ _Builder_', 'Zoë Ø'].sort());
    expect(readdirSync(join(out, 'Anna')).sort()).toEqual(['p0.jpg', 'p1.jpg', 'p3.jpg', 'p5.jpg']);
    const link = join(out, 'Anna', 'p3.jpg');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join(photos, 'sub', 'p3.jpg'));
    expect(r.written).toBe(4 + 3 + 3);
    expect(events.some((e) => e.type === 'task-progress' && e.task === 'export' && e.done === e.total)).toBe(true);

    const again = await api.exportPeople({ format: 'folders', out });
    expect(again.written).toBe(0);
    expect(again.reused).toBe(10);
  });

  it('exports chosen people (ids), with copies', async () => {
    const bob = (await api.listPeople({})).find((p) => p.name === NAMES[2])!;
    const out = join(tmp.dir, 'out-copies');
    const r = await api.exportPeople({ format: 'folders', out, personIds: [bob.id], link: 'copy' });
    expect(r.people).toBe(1);
    const folder = join(out, 'Bob _the_ _Builder_');
    expect(readdirSync(folder).sort()).toEqual(['p0.jpg', 'p2.jpg', 'p4.jpg']);
    expect(lstatSync(join(folder, 'p4.jpg')).isFile()).toBe(true);
    expect(readFileSync(join(folder, 'p4.jpg')).equals(readFileSync(join(photos, 'p4.jpg')))).toBe(true);
  });

  it('writes CSV and JSON manifests with pixel and normalised boxes, score, distance and status', async () => {
    const out = join(tmp.dir, 'out-manifest');
    const csv = await api.exportPeople({ format: 'csv', out });
    const json = await api.exportPeople({ format: 'json', out });
    expect(csv.files).toEqual([join(out, 'facenet-faces.csv')]);
    const rows = parseCsv(readFileSync(csv.files[0]!, 'utf8'));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + 10);
    const parsed = JSON.parse(readFileSync(json.files[0]!, 'utf8')) as {
      faces: Array<{
        person: string;
        photoPath: string;
        box: { x: number; width: number };
        boxNormalised: { x: number; width: number };
        detectionScore: number;
        distance: number;
        status: string;
      }>;
    };
    expect(parsed.faces).toHaveLength(10);
    const p3 = parsed.faces.find((f) => f.person === 'Zoë Ø' && f.photoPath.endsWith('p3.jpg'))!;
    expect(p3.box.width).toBe(16);
    expect(p3.boxNormalised.width).toBe(0.25);
    expect(p3.detectionScore).toBeGreaterThan(0.5);
    expect(p3.distance).toBeGreaterThanOrEqual(0);
    expect(p3.status).toBe('confirmed'); // naming Zoë confirmed the faces she held
    // A file of that name that is not ours is never replaced.
    const foreign = join(tmp.dir, 'out-foreign');
    await api.exportPeople({ format: 'json', out: foreign });
    writeFileSync(join(foreign, 'facenet-faces.csv'), 'my own spreadsheet\n');
    expect((await rejected(api.call('exportPeople', { format: 'csv', out: foreign }))).code).toBe('conflict');
    expect(readFileSync(join(foreign, 'facenet-faces.csv'), 'utf8')).toBe('my own spreadsheet\n');
  });

  it('refuses bad requests with clear messages', async () => {
    const bad: Array<[unknown, string]> = [
      // The enums are checked at the boundary (validateRequest), the combinations by the export service.
      [{ format: 'pdf', out: tmp.dir }, 'field "format" must be one of folders, csv, json, xmp'],
      [{ format: 'csv' }, 'needs an output folder'],
      [{ format: 'xmp', out: tmp.dir }, 'next to the photos'],
      [{ format: 'folders', out: tmp.dir, link: 'move' }, 'field "link" must be one of symlink, hardlink, copy'],
      [{ format: 'xmp', sidecar: 'photo.XMP' }, 'field "sidecar" must be one of photo.jpg.xmp, photo.xmp'],
      [{ format: 'csv', out: tmp.dir, link: 'copy' }, 'link applies to the folders format only'],
    ];
    for (const [args, message] of bad) {
      const e = await rejected(api.call('exportPeople', args));
      expect(e.code).toBe('bad-request');
      expect(e.message).toContain(message);
    }
    expect((await rejected(api.call('exportPeople', { format: 'csv', out: tmp.dir, personIds: [999] }))).code).toBe(
      'not-found',
    );
  });

  it('writes XMP sidecars next to the photos that ExifTool reads back (names, boxes, orientation)', async ({
    skip,
  }) => {
    // An existing sidecar with other metadata: merged, not clobbered.
    const p1Side = join(photos, 'p1.jpg.xmp');
    writeFileSync(
      p1Side,
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="4"/></rdf:RDF></x:xmpmeta>',
    );
    const r = await api.exportPeople({ format: 'xmp' });
    expect(r.errors).toEqual([]);
    expect(r.out).toBeNull();
    expect(r.written).toBe(6); // p0..p5; p6/p7 hold only the unnamed person
    expect(existsSync(join(photos, 'p6.jpg.xmp'))).toBe(false);
    // Exporting again rewrites nothing.
    const mtimes = r.files.map((f) => lstatSync(f).mtimeMs);
    await api.exportPeople({ format: 'xmp' });
    expect(r.files.map((f) => lstatSync(f).mtimeMs)).toEqual(mtimes);

    // What ExifTool, an independent reader, makes of them (the sidecars stay for the round trip below).
    skip(!HAS_EXIFTOOL, NO_EXIFTOOL);
    const rows = await exiftoolJson(r.files, ['-XMP-mwg-rs:RegionInfo', '-XMP-MP:RegionInfoMP', '-XMP-xmp:Rating']);
    const lib = api.library.library;
    for (const row of rows) {
      const photoPath = (row.SourceFile as string).slice(0, -4);
      const photo = lib.photos.getByPath(photoPath)!;
      const spec = PLAN.find((p) => join(photos, p.name) === photoPath)!;
      const mwg = row.RegionInfo as {
        AppliedToDimensions: { W: number; H: number };
        RegionList: { Name: string; Type: string; Area: { X: number; Y: number; W: number; H: number } }[];
      };
      const mp = row.RegionInfoMP as { Regions: { PersonDisplayName: string; Rectangle: string }[] };
      const named = spec.faces.filter((f) => NAMES[f.identity] !== undefined);
      expect(mwg.RegionList.map((x) => x.Name).sort()).toEqual(named.map((f) => NAMES[f.identity]).sort());
      expect(mp.Regions.map((x) => x.PersonDisplayName).sort()).toEqual(named.map((f) => NAMES[f.identity]).sort());
      // Each region is the face's box, mapped to the stored pixels.
      const image = orientedImageFromStored(64, 64, spec.orientation ?? 1);
      for (const face of api.library.facesOfPhoto(photo.id).filter((f) => f.personId !== null)) {
        const name = lib.people.get(face.personId!)!.name!;
        const s = boxToStoredRect(face.box, image);
        const region = mwg.RegionList.find((x) => x.Name === name)!;
        expect(region.Type).toBe('Face');
        expect(region.Area.X).toBeCloseTo(s.x + s.w / 2, 5);
        expect(region.Area.Y).toBeCloseTo(s.y + s.h / 2, 5);
        expect(region.Area.W).toBeCloseTo(s.w, 5);
        expect(
          mp.Regions.find((x) => x.PersonDisplayName === name)!
            .Rectangle.split(',')
            .map(Number)[0],
        ).toBeCloseTo(s.x, 5);
      }
      expect(mwg.AppliedToDimensions).toMatchObject({ W: 64, H: 64 });
      if (photoPath.endsWith('p1.jpg')) expect(row.Rating).toBe(4);
    }
  });

  it('never touched an original photo (mtime and sha256)', () => {
    expect(fingerprint(photoPaths)).toEqual(before);
  });

  it('round trip: the sidecars imported into a fresh library give the same named people', async () => {
    const expected = namedPeople(api);
    expect(Object.keys(expected).sort()).toEqual(Object.values(NAMES).sort());
    // The fresh library's detector misses C entirely: those faces are created from the regions.
    const pipeline = new RegionPipeline(new Set([C]));
    const fresh = await openIndexed(join(tmp.dir, 'fresh.db'), photos, pipeline);
    try {
      expect(namedPeople(fresh)).toEqual({});
      const r = await fresh.importXmp({ folders: [photos] });
      expect(r.errors).toEqual([]);
      expect(r.conflicts).toEqual([]);
      expect(r.regions).toBe(10);
      expect(r.matched).toBe(7);
      expect(r.created).toBe(3);
      expect(pipeline.embedded).toBe(3);
      expect(r.people).toBe(3);
      expect(r.newPeople).toBe(3);
      expect(namedPeople(fresh)).toEqual(expected);
      // Confirmed decisions: re-clustering keeps them.
      await fresh.recluster({});
      expect(namedPeople(fresh)).toEqual(expected);
      // Importing again changes nothing.
      const again = await fresh.importXmp({ folders: [photos] });
      expect(again).toMatchObject({ matched: 0, created: 0, alreadyConfirmed: 10, reclustered: null });
      expect(namedPeople(fresh)).toEqual(expected);
    } finally {
      await fresh.close();
    }
    expect(fingerprint(photoPaths)).toEqual(before);
  });

  it('names an unnamed person\'s folder and manifest rows "Unnamed #<id>", as the app and the CLI do', async () => {
    const lib = api.library.library;
    const p7 = lib.photos.getByPath(join(photos, 'p7.jpg'))!;
    const unnamed = api.library.facesOfPhoto(p7.id)[0]!.personId!;
    expect(lib.people.get(unnamed)!.name).toBeNull();
    const out = join(tmp.dir, 'out-unnamed');
    await api.exportPeople({ format: 'folders', out, personIds: [unnamed] });
    expect(readdirSync(out)).toEqual([`Unnamed #${unnamed}`]);
    await api.exportPeople({ format: 'csv', out, personIds: [unnamed] });
    const rows = parseCsv(readFileSync(join(out, 'facenet-faces.csv'), 'utf8'));
    expect(rows.slice(1).every((r) => r[0] === `Unnamed #${unnamed}`)).toBe(true);
  });

  it('exports an unnamed person when asked, and skips a photo edited since indexing', async ({ skip }) => {
    const lib = api.library.library;
    const p6 = lib.photos.getByPath(join(photos, 'p6.jpg'))!;
    const unnamed = api.library.facesOfPhoto(p6.id)[0]!.personId!;
    expect(lib.people.get(unnamed)!.name).toBeNull();
    await makePhoto(join(photos, 'p6.jpg'), { faces: [{ cell: 6, identity: D }], size: 128 });
    const r = await api.exportPeople({ format: 'xmp', personIds: [unnamed] });
    expect(r.errors).toEqual([{ path: join(photos, 'p6.jpg'), error: expect.stringContaining('index it again') }]);
    expect(r.files).toEqual([join(photos, 'p7.jpg.xmp')]);
    expect(existsSync(join(photos, 'p6.jpg.xmp'))).toBe(false);
    skip(!HAS_EXIFTOOL, NO_EXIFTOOL);
    const [row] = await exiftoolJson(r.files, ['-XMP-mwg-rs:RegionInfo']);
    const regions = (row!.RegionInfo as { RegionList: { Name?: string; Type: string }[] }).RegionList;
    expect(regions).toHaveLength(1);
    expect(regions[0]).toMatchObject({ Type: 'Face' });
    expect(regions[0]!.Name).toBeUndefined();
  });

  it('with photo.xmp naming, two photos that would share a sidecar: the first keeps it, the other is reported', async ({
    skip,
  }) => {
    await makePhoto(join(photos, 'twin.jpg'), { faces: [{ cell: 4, identity: A }], seed: 50, size: 64 });
    await makePhoto(join(photos, 'twin.png'), { faces: [{ cell: 8, identity: A }], seed: 51, size: 64 });
    await api.startIndexing();
    await api.whenIdle();
    const anna = (await api.listPeople({})).find((p) => p.name === 'Anna')!;
    expect(anna.faceCount).toBe(6);
    const r = await api.exportPeople({ format: 'xmp', personIds: [anna.id], sidecar: 'photo.xmp' });
    expect(r.errors).toEqual([{ path: join(photos, 'twin.png'), error: expect.stringContaining('twin.jpg') }]);
    expect(r.files).toContain(join(photos, 'twin.xmp'));
    skip(!HAS_EXIFTOOL, NO_EXIFTOOL);
    const [row] = await exiftoolJson([join(photos, 'twin.xmp')], ['-XMP-mwg-rs:RegionInfo']);
    expect((row!.RegionInfo as { RegionList: unknown[] }).RegionList).toHaveLength(1);
  });
});
