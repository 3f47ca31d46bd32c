/**
 * ExifTool as the independent reader and writer of our XMP face regions, for all eight EXIF orientations.
 * The pixels are the ground truth: each fixture paints coloured blocks, libvips (sharp auto-orient) says
 * where they are displayed, and a raw decode says where they are stored. ExifTool's numbers must land on
 * the stored blocks; our import must land on the displayed blocks.
 */
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '../../../../src-shared/geometry.js';
import {
  readPhotoFaceRegions,
  sidecarPath,
  writeFaceSidecar,
  type SidecarNaming,
} from '../../../../src-main/engine/interop/sidecar.js';
import { tempDir } from '../../../helpers/tmp.js';
import {
  COLOURS,
  ORIENTATIONS,
  exiftoolBatch,
  HAS_EXIFTOOL,
  exiftoolJson,
  findColour,
  makeOrientedJpeg,
  type Fixture,
} from '../../../helpers/oriented-photos.js';

const BOX_A: Box = { x: 16, y: 16, width: 48, height: 32 };
const BOX_B: Box = { x: 96, y: 48, width: 32, height: 48 };
const NAME_A = 'Zoë Ø\u00a0Łukasz';
const NAME_B = 'Bob "the" <Builder> & Co';
const PX = 2; // JPEG edges blur by a pixel or so

interface Area {
  X: number;
  Y: number;
  W: number;
  H: number;
  Unit: string;
}
interface MwgInfo {
  AppliedToDimensions: { W: number; H: number; Unit: string };
  RegionList: { Area?: Area; Name?: string; Type?: string }[];
}
interface MpInfo {
  Regions: { PersonDisplayName?: string; Rectangle: string }[];
}

function expectBoxClose(actual: Box, expected: Box, tol = PX): void {
  for (const k of ['x', 'y', 'width', 'height'] as const) {
    expect(
      Math.abs(actual[k] - expected[k]),
      `${k}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`,
    ).toBeLessThanOrEqual(tol);
  }
}

const naming = (o: number): SidecarNaming => (o % 2 ? 'photo.xmp' : 'photo.jpg.xmp');

let dir: string;
let cleanup: () => void;
let fixtures: Fixture[];
/** Where the blocks are in the stored pixels, per fixture: the truth for what ExifTool must read. */
let storedBlocks: Box[][];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('facenet-xmp-'));
  fixtures = await Promise.all(
    ORIENTATIONS.map((o) => makeOrientedJpeg(join(dir, `photo-${o}.jpg`), o, [BOX_A, BOX_B])),
  );
  storedBlocks = await Promise.all(
    fixtures.map((f) => Promise.all([findColour(f.path, COLOURS[0]!, false), findColour(f.path, COLOURS[1]!, false)])),
  );
});

afterAll(() => cleanup?.());

describe('fixtures', () => {
  it('display the blocks where intended after libvips applies the EXIF orientation', async () => {
    for (const f of fixtures) {
      expectBoxClose(await findColour(f.path, COLOURS[0]!, true), BOX_A);
      expectBoxClose(await findColour(f.path, COLOURS[1]!, true), BOX_B);
    }
  });
});

describe.skipIf(!HAS_EXIFTOOL)('what we write, ExifTool reads', () => {
  it('MWG and MP regions land on the stored pixels of each face, names intact, all 8 orientations', async () => {
    const sidecars: string[] = [];
    for (const f of fixtures) {
      sidecars.push(
        await writeFaceSidecar(
          f.path,
          [
            { name: NAME_A, box: BOX_A },
            { name: NAME_B, box: BOX_B },
          ],
          { naming: naming(f.orientation) },
        ),
      );
    }
    expect(sidecars[0]).toBe(join(dir, 'photo-1.xmp'));
    expect(sidecars[1]).toBe(join(dir, 'photo-2.jpg.xmp'));
    const rows = await exiftoolJson(sidecars, ['-XMP-mwg-rs:RegionInfo', '-XMP-MP:RegionInfoMP']);
    expect(rows).toHaveLength(8);
    rows.forEach((row, i) => {
      const f = fixtures[i]!;
      const mwg = row.RegionInfo as MwgInfo;
      const mp = row.RegionInfoMP as MpInfo;
      expect(mwg.AppliedToDimensions).toEqual({ W: f.stored.width, H: f.stored.height, Unit: 'pixel' });
      expect(mwg.RegionList.map((r) => [r.Name, r.Type])).toEqual([
        [NAME_A, 'Face'],
        [NAME_B, 'Face'],
      ]);
      expect(mp.Regions.map((r) => r.PersonDisplayName)).toEqual([NAME_A, NAME_B]);
      [0, 1].forEach((j) => {
        const truth = storedBlocks[i]![j]!;
        const a = mwg.RegionList[j]!.Area!;
        expect(a.Unit).toBe('normalized');
        const W = f.stored.width;
        const H = f.stored.height;
        expectBoxClose({ x: (a.X - a.W / 2) * W, y: (a.Y - a.H / 2) * H, width: a.W * W, height: a.H * H }, truth);
        const [l, t, w, h] = mp.Regions[j]!.Rectangle.split(',').map(Number) as [number, number, number, number];
        expectBoxClose({ x: l * W, y: t * H, width: w * W, height: h * H }, truth);
      });
    });
  });
});

describe.skipIf(!HAS_EXIFTOOL)('what ExifTool writes (as digiKam does), we import', () => {
  it('reads regions from sidecars and embedded XMP into displayed pixels, all 8 orientations', async () => {
    const commands: string[][] = [];
    const embeddedCopies: string[] = [];
    fixtures.forEach((f, i) => {
      const W = f.stored.width;
      const H = f.stored.height;
      const [a, b] = storedBlocks[i]!;
      const area = (s: Box): string =>
        `{X=${(s.x + s.width / 2) / W},Y=${(s.y + s.height / 2) / H},W=${s.width / W},H=${s.height / H},Unit=normalized}`;
      const mwg =
        `-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=${W},H=${H},Unit=pixel},RegionList=[` +
        `{Area=${area(a!)},Name=${NAME_A},Type=Face},{Area=${area(b!)},Type=Face}]}`;
      // MP rectangle commas are escaped with | inside ExifTool's struct syntax.
      const rect = (s: Box): string => [s.x / W, s.y / H, s.width / W, s.height / H].join('|, ');
      const mp = `-XMP-MP:RegionInfoMP={Regions=[{PersonDisplayName=${NAME_A},Rectangle=${rect(a!)}}]}`;
      if (i % 2 === 0) {
        // sidecar next to the photo, MWG + MP for the same face (deduplicated on import)
        commands.push([mwg, mp, '-o', sidecarPath(f.path, naming(f.orientation)), f.path]);
      } else {
        // embedded in a copy of the photo; the second face only in MP form, with a name
        const copy = join(dir, `embedded-${f.orientation}.jpg`);
        embeddedCopies.push(copy);
        const mpOnly = `-XMP-MP:RegionInfoMP={Regions=[{PersonDisplayName=${NAME_B},Rectangle=${rect(b!)}}]}`;
        commands.push([
          mwg.replace(`{Area=${area(b!)},Type=Face}`, '').replace(',]', ']'),
          mpOnly,
          '-overwrite_original',
          copy,
        ]);
      }
    });
    await Promise.all(
      fixtures.filter((_, i) => i % 2 === 1).map((f) => copyFile(f.path, join(dir, `embedded-${f.orientation}.jpg`))),
    );
    // ExifTool's -o never overwrites: start these sidecars from nothing.
    await Promise.all(fixtures.map((f) => rm(sidecarPath(f.path, naming(f.orientation)), { force: true })));
    await exiftoolBatch(dir, commands);

    for (const [i, f] of fixtures.entries()) {
      const photo = i % 2 === 0 ? f.path : join(dir, `embedded-${f.orientation}.jpg`);
      const { regions, geometry, sidecar } = await readPhotoFaceRegions(photo, naming(f.orientation));
      expect(geometry).toEqual({ width: 160, height: 112, orientation: f.orientation });
      expect(regions.map((r) => r.name)).toEqual([NAME_A, i % 2 === 0 ? undefined : NAME_B]);
      expect(regions.map((r) => r.source)).toEqual(i % 2 === 0 ? ['mwg', 'mwg'] : ['mwg', 'mp']);
      expect(sidecar !== undefined).toBe(i % 2 === 0);
      expectBoxClose(regions[0]!.box, BOX_A);
      expectBoxClose(regions[1]!.box, BOX_B);
    }
  });
});

describe('merging into an existing sidecar', () => {
  it.skipIf(!HAS_EXIFTOOL)(
    'keeps unrelated tags, other region types and other people; replaces our faces; is idempotent',
    async () => {
      const f = fixtures[5]!; // orientation 6
      const side = sidecarPath(f.path, 'photo.jpg.xmp');
      const W = f.stored.width;
      const H = f.stored.height;
      const a = storedBlocks[5]![0]!;
      await rm(side, { force: true });
      const oldArea = `{X=${(a.x + a.width / 2) / W},Y=${(a.y + a.height / 2) / H},W=${a.width / W},H=${a.height / H},Unit=normalized}`;
      await exiftoolBatch(dir, [
        [
          '-XMP-dc:Subject=holiday',
          '-XMP-dc:Subject=beach',
          '-XMP-xmp:Rating=4',
          `-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=${W},H=${H},Unit=pixel},RegionList=[` +
            `{Area=${oldArea},Name=Old Name,Type=Face},` +
            `{Area={X=0.9,Y=0.9,W=0.1,H=0.1,Unit=normalized},Name=Carol,Type=Face,Description=kept as is},` +
            `{Area={X=0.5,Y=0.5,W=0.05,H=0.05,Unit=normalized},Type=Focus}]}`,
          '-XMP-MP:RegionInfoMP={Regions=[{PersonDisplayName=Carol,Rectangle=0.85|, 0.85|, 0.1|, 0.1}]}',
          '-o',
          side,
          f.path,
        ],
      ]);
      // An unknown namespace, as some other tool might leave it.
      const withCustom = (await readFile(side, 'utf8')).replace(
        '</rdf:RDF>',
        ` <rdf:Description rdf:about='' xmlns:acme='http://example.com/acme/1.0/' acme:Album='Summer'/>\n</rdf:RDF>`,
      );
      await writeFile(side, withCustom);

      const regions = [
        { name: NAME_A, box: BOX_A },
        { name: NAME_B, box: BOX_B },
      ];
      await writeFaceSidecar(f.path, regions, { naming: 'photo.jpg.xmp' });
      const once = await readFile(side, 'utf8');
      await writeFaceSidecar(f.path, regions, { naming: 'photo.jpg.xmp' });
      expect(await readFile(side, 'utf8')).toBe(once);

      const [row] = await exiftoolJson([side], ['-XMP:all']);
      // The user's keywords stay first and untouched; our names are added after them (keywords.ts).
      expect(row!.Subject).toEqual(['holiday', 'beach', NAME_A, NAME_B]);
      expect(row!.Rating).toBe(4);
      expect(row!.Album).toBe('Summer');
      const mwg = row!.RegionInfo as MwgInfo;
      expect(mwg.RegionList.map((r) => `${r.Type}:${r.Name ?? ''}`)).toEqual([
        'Face:Carol',
        'Focus:',
        `Face:${NAME_A}`,
        `Face:${NAME_B}`,
      ]);
      expect((mwg.RegionList[0] as { Description?: string }).Description).toBe('kept as is');
      const mp = row!.RegionInfoMP as MpInfo;
      expect(mp.Regions.map((r) => r.PersonDisplayName)).toEqual(['Carol', NAME_A, NAME_B]);
      const imported = await readPhotoFaceRegions(f.path, 'photo.jpg.xmp');
      expect(imported.regions.map((r) => r.name)).toEqual(['Carol', NAME_A, NAME_B]);
    },
  );

  it('refuses to overwrite a sidecar that is not XMP', async () => {
    const f = fixtures[0]!;
    const side = sidecarPath(f.path, 'photo.jpg.xmp');
    await writeFile(side, 'not <xml at all');
    await expect(writeFaceSidecar(f.path, [{ name: 'X', box: BOX_A }], { naming: 'photo.jpg.xmp' })).rejects.toThrow(
      /XMP/,
    );
    expect(await readFile(side, 'utf8')).toBe('not <xml at all');
  });
});
