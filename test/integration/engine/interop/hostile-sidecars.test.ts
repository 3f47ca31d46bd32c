/**
 * Issue 12 item 4: sidecars that would exhaust or fool the importer, as real files next to real photos in an
 * indexed library. Each case lives in its own folder and is imported on its own, under a test timeout of a
 * few seconds (a hang or a multi-gigabyte read fails the test instead of stalling the run):
 * - a FIFO named `photo.jpg.xmp` (a blocking read would never return), a symlink to /dev/zero (endless),
 *   a sidecar over 4 MiB: each refused with a plain reason in `errors`, and the other photos still import;
 * - 300 regions stacked on one face under 50 names: at most 100 read (the rest reported), one face and one
 *   person come of it, the others are reported as regions on the same face;
 * - `w=1e308`, a hex float, a negative width, Infinity, a centre outside 0..1: reported as conflicts, not
 *   imported (before, 1e308 was clamped into a whole-photo face and a hex float read as 0).
 * Photos are drawn by test/helpers/images.ts; the grid pipeline detects each drawn face.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineApi } from '../../../../src-main/app/engine-api.js';
import { orientedImageFromStored } from '../../../../src-main/engine/interop/orientation.js';
import { MAX_REGIONS_PER_PHOTO, readFaceRegionReport } from '../../../../src-main/engine/interop/xmp-read.js';
import { makePhoto } from '../../../helpers/images.js';
import { mwgSidecar } from '../../../helpers/mwg-sidecar.js';
import { tempDir } from '../../../helpers/tmp.js';
import { openIndexed, SIZE } from '../../../helpers/interop-library.js';

const tmp = tempDir('hostile-sidecars-');
const photos = join(tmp.dir, 'photos');
const CASES = ['fifo', 'zero', 'huge', 'stacked', 'numbers', 'neighbour'] as const;
const folder = (c: (typeof CASES)[number]): string => join(photos, c);
const photo = (c: (typeof CASES)[number]): string => join(folder(c), 'p.jpg');
const POSIX = process.platform !== 'win32';
let api: EngineApi;
const fifos: string[] = [];

/** Cell 5 of the 4x4 grid of a 64 px photo: where each photo's one face is drawn (stored = displayed). */
const FACE = { x: 0.375, y: 0.375, w: 0.25, h: 0.25 };

/** An MWG sidecar for the case photo: regions on its face unless placed elsewhere. */
function sidecar(regions: { name: string; x?: string; y?: string; w?: string; h?: string }[], padding = ''): string {
  return mwgSidecar(
    SIZE,
    SIZE,
    regions.map((r) => ({ ...FACE, ...r })),
    padding,
  );
}

function facesOf(path: string): number {
  const lib = api.library.library;
  return lib.faces.listByPhoto(lib.photos.getByPath(path)!.id).length;
}
const personNames = (): string[] =>
  api.library.library.people
    .list()
    .map((p) => p.name)
    .filter((n): n is string => n !== null);

beforeAll(async () => {
  for (const [i, c] of CASES.entries()) {
    mkdirSync(folder(c), { recursive: true });
    await makePhoto(photo(c), { faces: [{ cell: 5, identity: i }], seed: 10 + i, size: SIZE });
  }
  api = await openIndexed(join(tmp.dir, 'lib.db'), photos);
  if (POSIX) {
    execFileSync('mkfifo', [`${photo('fifo')}.xmp`]);
    fifos.push(`${photo('fifo')}.xmp`);
    symlinkSync('/dev/zero', `${photo('zero')}.xmp`);
  }
  // Over 4 MiB: a valid packet whose padding (as XMP packets carry) makes it huge.
  writeFileSync(`${photo('huge')}.xmp`, sidecar([{ name: 'Huge' }], ' '.repeat(5 * 1024 * 1024)));
  // 300 regions on the one face, under 50 names.
  writeFileSync(
    `${photo('stacked')}.xmp`,
    sidecar(Array.from({ length: 300 }, (_, i) => ({ name: `Stack ${i % 50}` }))),
  );
  writeFileSync(
    `${photo('numbers')}.xmp`,
    sidecar([
      { name: 'Wide', w: '1e308' },
      { name: 'Hex', x: '0x1p-2' },
      { name: 'Negative', w: '-0.25' },
      { name: 'Endless', h: 'Infinity' },
      { name: 'Outside', x: '1.5' },
      { name: 'Valid' },
    ]),
  );
  writeFileSync(`${photo('neighbour')}.xmp`, sidecar([{ name: 'Neighbour' }]));
}, 60_000);

afterAll(async () => {
  // A reader stuck on a FIFO (the old importer) is released by a writer opening and closing it.
  for (const f of fifos) {
    try {
      closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader: nothing to release
    }
  }
  await api?.close();
  tmp.cleanup();
});

describe('importXmp with hostile sidecars', () => {
  it.skipIf(!POSIX)(
    'refuses a FIFO sidecar at once, and the other photos still import',
    async () => {
      const r = await api.importXmp({ folders: [folder('fifo'), folder('neighbour')], recluster: false });
      expect(r.errors).toEqual([{ path: photo('fifo'), error: expect.stringMatching(/FIFO.*not a regular file/) }]);
      expect(r.matched).toBe(1);
      expect(personNames()).toContain('Neighbour');
    },
    5_000,
  );

  it.skipIf(!POSIX)(
    'refuses a sidecar symlinked to /dev/zero without reading it',
    async () => {
      const r = await api.importXmp({ folders: [folder('zero')], recluster: false });
      expect(r.errors).toEqual([{ path: photo('zero'), error: expect.stringMatching(/device, not a regular file/) }]);
    },
    5_000,
  );

  it('refuses a sidecar over 4 MiB', async () => {
    const r = await api.importXmp({ folders: [folder('huge')], recluster: false });
    expect(r.errors).toEqual([{ path: photo('huge'), error: expect.stringMatching(/larger than 4 MiB/) }]);
    expect(personNames()).not.toContain('Huge');
  }, 10_000);

  it('reads at most 100 regions of a photo and keeps one of the regions stacked on one face', async () => {
    const r = await api.importXmp({ folders: [folder('stacked')], recluster: false });
    // 200 regions beyond the limit: one error says so; the photo is still imported.
    expect(r.errors).toEqual([{ path: photo('stacked'), error: expect.stringMatching(/^200 face region.*100/) }]);
    expect(r.regions).toBe(100);
    expect(r.matched).toBe(1);
    expect(r.created).toBe(0);
    expect(r.newPeople).toBe(1);
    // The 99 other regions on the same face are reported, not made into faces and people.
    const same = r.conflicts.filter((c) => /on the same face/.test(c.reason));
    expect(same).toHaveLength(99);
    expect(r.conflicts).toHaveLength(99);
    expect(facesOf(photo('stacked'))).toBe(1);
    expect(personNames().filter((n) => n.startsWith('Stack '))).toEqual(['Stack 0']);
  }, 20_000);

  it('treats 1e308, hex floats, negative, infinite and out-of-range areas as invalid', async () => {
    const r = await api.importXmp({ folders: [folder('numbers')], recluster: false });
    expect(r.errors).toEqual([]);
    const reasons = Object.fromEntries(r.conflicts.map((c) => [c.name, c.reason]));
    expect(reasons).toEqual({
      Wide: expect.stringMatching(/invalid region area: w=1e\+308 is outside 0\.\.1/),
      Hex: expect.stringMatching(/invalid region area: x="0x1p-2" is not a decimal number/),
      Negative: expect.stringMatching(/invalid region area: w=-0\.25 is outside 0\.\.1/),
      Endless: expect.stringMatching(/invalid region area: h="Infinity" is not a decimal number/),
      Outside: expect.stringMatching(/invalid region area: x=1\.5 is outside 0\.\.1/),
    });
    expect(r.regions).toBe(1);
    expect(r.matched).toBe(1);
    expect(r.created).toBe(0);
    expect(facesOf(photo('numbers'))).toBe(1);
    expect(personNames()).toContain('Valid');
    for (const n of ['Wide', 'Hex', 'Negative', 'Endless', 'Outside']) expect(personNames()).not.toContain(n);
  }, 20_000);
});

describe('export next to hostile files', () => {
  it.skipIf(!POSIX)(
    'a FIFO where a sidecar or a manifest goes is refused, not read',
    async () => {
      const lib = api.library.library;
      const face = lib.faces.listByPhoto(lib.photos.getByPath(photo('fifo'))!.id)[0]!;
      const { personId } = await api.moveFaces({ faceIds: [face.id], to: { newPerson: true, name: 'Piper' } });
      const xmp = await api.exportPeople({ format: 'xmp', personIds: [personId] });
      expect(xmp.errors).toEqual([{ path: photo('fifo'), error: expect.stringMatching(/FIFO.*not a regular file/) }]);
      const out = join(tmp.dir, 'out');
      mkdirSync(out);
      execFileSync('mkfifo', [join(out, 'facenet-faces.csv')]);
      fifos.push(join(out, 'facenet-faces.csv'));
      await expect(api.exportPeople({ format: 'csv', out, personIds: [personId] })).rejects.toThrow(/FIFO/);
    },
    10_000,
  );
});

describe('readFaceRegionReport', () => {
  const image = orientedImageFromStored(400, 300, 1);
  const packet = (mwg: string, mp = ''): string =>
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
    `<rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" ` +
    `xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#" ` +
    `xmlns:MP="http://ns.microsoft.com/photo/1.2/" xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#" ` +
    `xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#">` +
    `<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:AppliedToDimensions stDim:w="400" stDim:h="300" ` +
    `stDim:unit="pixel"/><mwg-rs:RegionList><rdf:Bag>${mwg}</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>` +
    `<MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions><rdf:Bag>${mp}</rdf:Bag></MPRI:Regions></MP:RegionInfo>` +
    `</rdf:Description></rdf:RDF></x:xmpmeta>`;
  const area = (name: string, a: Record<string, string>): string =>
    `<rdf:li><rdf:Description mwg-rs:Type="Face" mwg-rs:Name="${name}"><mwg-rs:Area ` +
    Object.entries(a)
      .map(([k, v]) => `stArea:${k}="${v}"`)
      .join(' ') +
    `/></rdf:Description></rdf:li>`;

  it('rejects malformed MP rectangles and pixel areas beyond AppliedToDimensions', () => {
    const r = readFaceRegionReport(
      packet(
        area('Pixels', { x: '200', y: '150', w: '500', h: '50', unit: 'pixel' }) +
          area('Fine', { x: '100', y: '100', w: '40', h: '40', unit: 'pixel' }),
        `<rdf:li MPReg:PersonDisplayName="Hex" MPReg:Rectangle="0x1p-2, 0.1, 0.2, 0.2"/>` +
          `<rdf:li MPReg:PersonDisplayName="Big" MPReg:Rectangle="0.1, 0.1, 1e308, 0.2"/>`,
      ),
      image,
    );
    expect(r.regions.map((x) => x.name)).toEqual(['Fine']);
    expect(r.rejected).toEqual([
      { name: 'Pixels', reason: 'invalid region area: w=1.25 is outside 0..1 of AppliedToDimensions' },
      { name: 'Hex', reason: 'invalid region area: Rectangle "0x1p-2, 0.1, 0.2, 0.2" is not four decimal numbers' },
      { name: 'Big', reason: 'invalid region area: width=1e+308 is outside 0..1 of the photo' },
    ]);
  });

  it('a malformed MWG area with a sound MP twin imports from the MP rectangle, unreported', () => {
    const r = readFaceRegionReport(
      packet(
        area('Ann', { x: '0.5', y: '0.5', w: '1e308', h: '0.2', unit: 'normalized' }),
        `<rdf:li MPReg:PersonDisplayName="Ann" MPReg:Rectangle="0.4, 0.4, 0.2, 0.2"/>`,
      ),
      image,
    );
    expect(r.regions.map((x) => [x.name, x.source])).toEqual([['Ann', 'mp']]);
    expect(r.rejected).toEqual([]);
  });

  it('reads at most MAX_REGIONS_PER_PHOTO regions per convention and counts the rest', () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      area(`P${i}`, { x: '0.5', y: '0.5', w: '0.1', h: '0.1', unit: 'normalized' }),
    ).join('');
    const r = readFaceRegionReport(packet(many), image);
    expect(r.regions).toHaveLength(MAX_REGIONS_PER_PHOTO);
    expect(r.overflow).toBe(50);
  });
});
