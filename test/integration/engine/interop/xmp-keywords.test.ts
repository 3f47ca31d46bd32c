/**
 * Person names as keywords in the XMP export (keywords.ts), read back by ExifTool, the independent reader:
 * dc:subject, lr:hierarchicalSubject `People|<name>` and digiKam:TagsList `People/<name>` for the named
 * people only; merged into the keywords already there without duplicates; on re-export after a rename only
 * the person keywords of the old name go, never the user's other keywords; the importer reads the face
 * regions and nothing from the keywords.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineApi } from '../../../../src-main/app/engine-api.js';
import { mergeFaceRegions } from '../../../../src-main/engine/interop/xmp-write.js';
import { readFaceRegions } from '../../../../src-main/engine/interop/xmp-read.js';
import { orientedImageFromStored } from '../../../../src-main/engine/interop/orientation.js';
import { tempDir } from '../../../helpers/tmp.js';
import { exiftoolBatch, exiftoolJson, HAS_EXIFTOOL, NO_EXIFTOOL } from '../../../helpers/oriented-photos.js';
import {
  A,
  B,
  C,
  fingerprint,
  nameFamily,
  namedPeople,
  NAMES,
  openIndexed,
  PLAN,
  writePlan,
} from '../../../helpers/interop-library.js';

const KEYWORD_TAGS = ['-XMP-dc:Subject', '-XMP-lr:HierarchicalSubject', '-XMP-digiKam:TagsList'];
const IMAGE = orientedImageFromStored(400, 300, 1);
const BOX_1 = { x: 20, y: 20, width: 60, height: 60 };
const BOX_2 = { x: 200, y: 100, width: 60, height: 60 };

interface Keywords {
  Subject?: string[];
  HierarchicalSubject?: string[];
  TagsList?: string[];
}
/** ExifTool gives a one-item list as a plain string. */
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const keywordsOf = (row: Record<string, unknown>): Required<Keywords> => ({
  Subject: list(row.Subject),
  HierarchicalSubject: list(row.HierarchicalSubject),
  TagsList: list(row.TagsList),
});

const tmp = tempDir('xmp-keywords-');
afterAll(() => tmp.cleanup());

describe('person keywords in merged XMP', () => {
  it('are written for named regions only, once, and a re-export with the same regions changes nothing', () => {
    const once = mergeFaceRegions(undefined, [{ name: 'Ann', box: BOX_1 }, { box: BOX_2 }], IMAGE);
    expect(mergeFaceRegions(once, [{ name: 'Ann', box: BOX_1 }, { box: BOX_2 }], IMAGE)).toBe(once);
    expect(once.match(/<rdf:li>Ann<\/rdf:li>/g)).toHaveLength(1);
    expect(once).toContain('<rdf:li>People|Ann</rdf:li>');
    expect(once).toContain('<rdf:li>People/Ann</rdf:li>');
    // The unnamed face has a region but no keyword: there is no name to search by.
    expect(readFaceRegions(once, IMAGE).map((r) => r.name)).toEqual(['Ann', undefined]);
    expect(mergeFaceRegions(undefined, [{ box: BOX_2 }], IMAGE)).not.toContain('dc:subject');
    // Opting out writes regions only.
    expect(mergeFaceRegions(undefined, [{ name: 'Ann', box: BOX_1 }], IMAGE, { keywords: false })).not.toContain(
      'People|',
    );
  });

  it('keep a plain keyword that equals a removed name (no person path: it was the user’s own)', () => {
    const userOwn =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
      '<dc:subject><rdf:Bag><rdf:li>Paris</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>';
    const named = mergeFaceRegions(userOwn, [{ name: 'Paris', box: BOX_1 }], IMAGE);
    // Already a keyword: not added twice.
    expect(named.match(/<rdf:li>Paris<\/rdf:li>/g)).toHaveLength(1);
    // Renamed: the person paths go; the plain keyword had been there with a person path, so it goes too...
    const renamed = mergeFaceRegions(named, [{ name: 'Paris Hilton', box: BOX_1 }], IMAGE);
    expect(renamed).not.toContain('People|Paris<');
    expect(renamed).toContain('People|Paris Hilton');
    // ...whereas without any person path (another tool wrote a face region and the user the keyword) it stays.
    const regionOnly = mergeFaceRegions(userOwn, [{ name: 'Paris', box: BOX_1 }], IMAGE, { keywords: false });
    const afterRename = mergeFaceRegions(regionOnly, [{ name: 'Someone', box: BOX_1 }], IMAGE);
    expect(afterRename).toContain('<rdf:li>Paris</rdf:li>');
    expect(afterRename).toContain('People|Someone');
  });
});

describe.skipIf(!HAS_EXIFTOOL)('person keywords as ExifTool reads them', () => {
  const dir = join(tmp.dir, 'sidecars');

  it('merge with the user’s keywords (no duplicates), and a rename removes only the old person keywords', async () => {
    mkdirSync(dir, { recursive: true });
    const side = join(dir, 'photo.jpg.xmp');
    const probe = join(dir, 'blank.jpg');
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#888' } })
      .jpeg()
      .toFile(probe);
    // As Lightroom/digiKam users leave it: places, events, a person someone else tagged (Carol, with her region).
    await exiftoolBatch(dir, [
      [
        '-XMP-dc:Subject=holiday',
        '-XMP-dc:Subject=Carol',
        '-XMP-dc:Subject=Ann',
        '-XMP-lr:HierarchicalSubject=Places|Paris',
        '-XMP-lr:HierarchicalSubject=People|Carol',
        '-XMP-lr:HierarchicalSubject=People|Ann',
        '-XMP-digiKam:TagsList=Places/Paris',
        '-XMP-digiKam:TagsList=People/Carol',
        `-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=400,H=300,Unit=pixel},RegionList=[` +
          `{Area={X=0.9,Y=0.9,W=0.1,H=0.1,Unit=normalized},Name=Carol,Type=Face}]}`,
        '-o',
        side,
        probe,
      ],
    ]);
    const first = mergeFaceRegions(
      readFileSync(side, 'utf8'),
      [
        { name: 'Ann', box: BOX_1 },
        { name: 'Bob', box: BOX_2 },
      ],
      IMAGE,
    );
    writeFileSync(side, first);
    let [row] = await exiftoolJson([side], KEYWORD_TAGS);
    expect(keywordsOf(row!)).toEqual({
      Subject: ['holiday', 'Carol', 'Ann', 'Bob'],
      HierarchicalSubject: ['Places|Paris', 'People|Carol', 'People|Ann', 'People|Bob'],
      TagsList: ['Places/Paris', 'People/Carol', 'People/Ann', 'People/Bob'],
    });

    // Bob is renamed Robert; Ann is no longer exported on this face (it went to Dan).
    const second = mergeFaceRegions(
      first,
      [
        { name: 'Dan', box: BOX_1 },
        { name: 'Robert', box: BOX_2 },
      ],
      IMAGE,
    );
    writeFileSync(side, second);
    [row] = await exiftoolJson([side], KEYWORD_TAGS);
    expect(keywordsOf(row!)).toEqual({
      Subject: ['holiday', 'Carol', 'Dan', 'Robert'],
      HierarchicalSubject: ['Places|Paris', 'People|Carol', 'People|Dan', 'People|Robert'],
      TagsList: ['Places/Paris', 'People/Carol', 'People/Dan', 'People/Robert'],
    });
    // Carol's region, written by another tool, is kept, so are her keywords; the importer reads regions only.
    expect(readFaceRegions(second, IMAGE).map((r) => r.name)).toEqual(['Carol', 'Dan', 'Robert']);
  });
});

describe('person keywords from the library export', () => {
  const photos = join(tmp.dir, 'photos');
  let api: EngineApi;
  beforeAll(async () => {
    await writePlan(photos);
    api = await openIndexed(join(tmp.dir, 'lib.db'), photos);
    await nameFamily(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('name the people of each photo; a renamed person’s old keywords go; import reads only the regions', async ({
    skip,
  }) => {
    const photoPaths = PLAN.map((p) => join(photos, p.name));
    const before = fingerprint(photoPaths);
    const r = await api.exportPeople({ format: 'xmp' });
    expect(r.errors).toEqual([]);
    skip(!HAS_EXIFTOOL, NO_EXIFTOOL);
    const named = (file: string): string[] => {
      const spec = PLAN.find((p) => join(photos, p.name) === file.slice(0, -4))!;
      return [...new Set(spec.faces.map((f) => NAMES[f.identity]).filter((n): n is string => n !== undefined))];
    };
    for (const row of await exiftoolJson(r.files, KEYWORD_TAGS)) {
      const names = named(row.SourceFile as string).sort();
      const k = keywordsOf(row);
      expect(k.Subject.sort()).toEqual(names);
      expect(k.HierarchicalSubject.sort()).toEqual(names.map((n) => `People|${n}`).sort());
      expect(k.TagsList.sort()).toEqual(names.map((n) => `People/${n}`).sort());
    }

    // Rename Anna and export again: her old keywords are replaced, nobody else's change.
    const anna = (await api.listPeople({})).find((p) => p.name === NAMES[A])!;
    await api.renamePerson({ personId: anna.id, name: 'Anna Karenina' });
    const again = await api.exportPeople({ format: 'xmp' });
    expect(again.errors).toEqual([]);
    for (const row of await exiftoolJson(again.files, KEYWORD_TAGS)) {
      const names = named(row.SourceFile as string)
        .map((n) => (n === NAMES[A] ? 'Anna Karenina' : n))
        .sort();
      expect(keywordsOf(row).Subject.sort()).toEqual(names);
      expect(keywordsOf(row).HierarchicalSubject.sort()).toEqual(names.map((n) => `People|${n}`).sort());
    }

    // A fresh library importing these sidecars gets exactly the named people: no person from a keyword.
    const expected = namedPeople(api);
    const fresh = await openIndexed(join(tmp.dir, 'fresh.db'), photos);
    try {
      const imported = await fresh.importXmp({ folders: [photos] });
      expect(imported.errors).toEqual([]);
      expect(imported.conflicts).toEqual([]);
      expect(namedPeople(fresh)).toEqual(expected);
      expect(Object.keys(namedPeople(fresh)).sort()).toEqual(['Anna Karenina', NAMES[B]!, NAMES[C]!].sort());
    } finally {
      await fresh.close();
    }
    expect(fingerprint(photoPaths)).toEqual(before);
  });
});
