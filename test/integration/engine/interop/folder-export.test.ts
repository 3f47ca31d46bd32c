import { lstat, mkdir, readFile, readdir, readlink, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFolders, type LinkMode } from '../../../../src-main/engine/interop/folder-export.js';
import {
  csvField,
  manifestCsv,
  manifestJson,
  parseCsv,
  type ManifestRow,
} from '../../../../src-main/engine/interop/manifest.js';
import { tempDir } from '../../../helpers/tmp.js';

let dir: string;
let cleanup: () => void;
let photos: { a: string; b: string; c: string };

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('facenet-folders-'));
  await mkdir(join(dir, 'lib', '2019'), { recursive: true });
  await mkdir(join(dir, 'lib', '2020'), { recursive: true });
  photos = {
    a: join(dir, 'lib', '2019', 'IMG_0001.jpg'),
    b: join(dir, 'lib', '2020', 'IMG_0001.jpg'), // same file name, different photo
    c: join(dir, 'lib', '2020', 'img_0001.JPG'), // collides case-insensitively
  };
  await writeFile(photos.a, 'photo a');
  await writeFile(photos.b, 'photo b');
  await writeFile(photos.c, 'photo c');
});
afterAll(() => cleanup?.());

describe('exportFolders', () => {
  for (const mode of ['symlink', 'hardlink', 'copy'] as LinkMode[]) {
    it(`${mode}: a folder per person, collisions suffixed, nothing overwritten, re-export adds nothing`, async () => {
      const out = join(dir, `out-${mode}`);
      const items = [
        { person: 'Ann', photoPath: photos.a },
        { person: 'Ann', photoPath: photos.b },
        { person: 'Ann', photoPath: photos.c },
        { person: 'Ann', photoPath: photos.a }, // duplicate: exported once
        { person: '../../Bob', photoPath: photos.a },
        { person: 'ann', photoPath: photos.b }, // another person whose folder would collide with Ann's
        { person: 'CON', photoPath: photos.c },
      ];
      // A stranger's file already sits where Ann's first photo would go: it must survive.
      await mkdir(join(out, 'Ann'), { recursive: true });
      await writeFile(join(out, 'Ann', 'IMG_0001.jpg'), 'not ours');

      const progress: number[] = [];
      const r = await exportFolders(items, out, { mode, onProgress: (d) => progress.push(d) });
      expect(r.errors).toEqual([]);
      expect(progress.at(-1)).toBe(6);
      expect([...r.folders.values()].map((f) => f.slice(out.length + 1))).toEqual([
        'Ann',
        '_.._Bob',
        'ann (2)',
        '_CON',
      ]);
      expect(await readFile(join(out, 'Ann', 'IMG_0001.jpg'), 'utf8')).toBe('not ours');
      expect((await readdir(join(out, 'Ann'))).sort()).toEqual([
        'IMG_0001 (2).jpg',
        'IMG_0001 (3).jpg',
        'IMG_0001.jpg',
        'img_0001 (4).JPG',
      ]);
      const annFiles = r.files.filter((f) => f.person === 'Ann');
      expect(annFiles.map((f) => f.photoPath)).toEqual([photos.a, photos.b, photos.c]);
      for (const f of r.files) {
        const original = await readFile(f.photoPath, 'utf8');
        expect(await readFile(f.outPath, 'utf8')).toBe(original);
        const st = await lstat(f.outPath);
        if (mode === 'symlink') expect(await readlink(f.outPath)).toBe(f.photoPath);
        if (mode === 'hardlink') expect(st.ino).toBe((await stat(f.photoPath)).ino);
        if (mode === 'copy') expect(st.isSymbolicLink() || st.ino === (await stat(f.photoPath)).ino).toBe(false);
      }
      // Originals untouched.
      expect(await readFile(photos.a, 'utf8')).toBe('photo a');

      const again = await exportFolders(items, out, { mode });
      expect(again.errors).toEqual([]);
      expect(again.files.every((f) => f.existed)).toBe(true);
      expect(again.files.map((f) => f.outPath)).toEqual(r.files.map((f) => f.outPath));
      expect(await readdir(join(out, 'Ann'))).toHaveLength(4);
    });
  }

  it('reports a missing photo as an error and carries on', async () => {
    const r = await exportFolders(
      [
        { person: 'Ann', photoPath: join(dir, 'missing.jpg') },
        { person: 'Ann', photoPath: photos.a },
      ],
      join(dir, 'out-missing'),
      { mode: 'copy' },
    );
    expect(r.errors).toHaveLength(1);
    expect(r.files).toHaveLength(1);
  });
});

describe('manifests', () => {
  const rows: ManifestRow[] = [
    {
      person: 'Smith, "Jo"\nJunior',
      photoPath: '/photos/a b/IMG 1.jpg',
      exportedPath: '/out/Smith/IMG 1.jpg',
      box: { x: 10.123, y: 20, width: 30, height: 40 },
      imageWidth: 200,
      imageHeight: 100,
      score: 0.98765432,
      distance: 0.25,
      status: 'confirmed',
    },
    {
      person: '=HYPERLINK("x")',
      photoPath: '/p/2.jpg',
      box: { x: 0, y: 0, width: 50, height: 50 },
      imageWidth: 100,
      imageHeight: 100,
      score: null,
      distance: null,
      status: 'automatic',
    },
  ];

  it('quotes CSV per RFC 4180 and neutralises formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('=1+1', true)).toBe("'=1+1");
    expect(csvField(-3, true)).toBe('-3');
    expect(csvField(null)).toBe('');
    const csv = manifestCsv(rows);
    expect(csv.endsWith('\r\n')).toBe(true);
    const parsed = parseCsv(csv);
    expect(parsed).toHaveLength(3);
    expect(parsed[0]![0]).toBe('person');
    expect(parsed[1]).toEqual([
      'Smith, "Jo"\nJunior',
      '/photos/a b/IMG 1.jpg',
      '/out/Smith/IMG 1.jpg',
      '10.12',
      '20',
      '30',
      '40',
      '0.050615',
      '0.2',
      '0.15',
      '0.4',
      '200',
      '100',
      '0.987654',
      '0.25',
      'confirmed',
    ]);
    expect(parsed[2]![0]).toBe('\'=HYPERLINK("x")');
    expect(parsed[2]!.slice(13)).toEqual(['', '', 'automatic']);
    expect(manifestCsv(rows, { bom: true, spreadsheetSafe: false }).startsWith('\uFEFFperson')).toBe(true);
  });

  it('writes JSON with pixel and normalised boxes', () => {
    const json = JSON.parse(manifestJson(rows)) as { version: number; faces: Record<string, unknown>[] };
    expect(json.version).toBe(1);
    expect(json.faces[0]).toMatchObject({
      person: 'Smith, "Jo"\nJunior',
      box: { x: 10.12, y: 20, width: 30, height: 40 },
      boxNormalised: { x: 0.050615, y: 0.2, width: 0.15, height: 0.4 },
      detectionScore: 0.987654,
      status: 'confirmed',
    });
    expect(json.faces[1]).toMatchObject({ person: '=HYPERLINK("x")', detectionScore: null, distance: null });
    expect('exportedPath' in json.faces[1]!).toBe(false);
  });
});
