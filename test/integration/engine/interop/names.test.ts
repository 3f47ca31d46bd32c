/**
 * Issue 12 item 6: control characters and bidi overrides in people's names. One rule (src-shared/names.ts
 * cleanName) where names enter (the XMP importer here; rename/move in PeopleService) and again where they
 * leave (XMP sidecars, export folders and manifests); XML output never carries characters XML 1.0 forbids.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineApi } from '../../../../src-main/app/engine-api.js';
import { orientedImageFromStored } from '../../../../src-main/engine/interop/orientation.js';
import { safeFileName, safeName } from '../../../../src-main/engine/interop/safe-names.js';
import { writeFaceSidecar } from '../../../../src-main/engine/interop/sidecar.js';
import { readFaceRegions } from '../../../../src-main/engine/interop/xmp-read.js';
import { mergeFaceRegions } from '../../../../src-main/engine/interop/xmp-write.js';
import { cleanName, NAME_MAX_LENGTH, printable, xmlSafeText } from '../../../../src-shared/names.js';
import { makePhoto } from '../../../helpers/images.js';
import { tempDir } from '../../../helpers/tmp.js';
import { HAS_EXIFTOOL } from '../../../helpers/oriented-photos.js';
import { openIndexed, SIZE } from '../../../helpers/interop-library.js';

const ESC = '\u001b';
const RLO = '\u202e';
const NUL = '\u0000';
/** Characters outside XML 1.0's Char production (what a strict parser such as Exiv2's expat rejects). */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

describe('cleanName', () => {
  it('removes controls and bidi overrides/isolates, keeps letters, trims and caps the length', () => {
    expect(cleanName(`Ann${ESC}[31m Red`)).toBe('Ann[31m Red');
    expect(cleanName(`Eve${RLO}gpj.exe`)).toBe('Evegpj.exe');
    expect(cleanName(`\u2066Bob\u2069 \u202aX\u202c`)).toBe('Bob X');
    expect(cleanName(`Nu${NUL}ll\u0007\u007f\u0085\u009b`)).toBe('Null');
    expect(cleanName('  Ann\tLee\r\nSmith  ')).toBe('Ann Lee Smith');
    expect(cleanName('Zoe\u0308 Ø\u00a0Łukasz 山田 👩‍👩‍👧')).toBe('Zoë Ø\u00a0Łukasz 山田 👩‍👩‍👧');
    expect(cleanName('lone \ud800 surrogate \uffff')).toBe('lone  surrogate');
    expect(cleanName(`${ESC}${RLO}\u0000 `)).toBe('');
    expect([...cleanName('é'.repeat(500))]).toHaveLength(NAME_MAX_LENGTH);
    // Never splits a letter from its accent or an emoji sequence.
    expect(cleanName('👩‍👩‍👧'.repeat(300)).endsWith('👩‍👩‍👧')).toBe(true);
  });

  it('is idempotent', () => {
    for (const s of [`a${ESC}b`, ` x${RLO}y `, 'e\u0301'.repeat(250), 'Ann\n\nLee']) {
      expect(cleanName(cleanName(s))).toBe(cleanName(s));
    }
  });

  it('printable shows controls and bidi characters as escapes', () => {
    expect(printable(`a${ESC}[2Jb${RLO}c\u0000\u009b`)).toBe('a\\x1b[2Jb\\u202ec\\x00\\x9b');
    expect(printable('C:\\photos\\Zoë')).toBe('C:\\photos\\Zoë');
    expect(printable('a\nb', { keepNewlines: true })).toBe('a\nb');
    expect(xmlSafeText('a\u0001b\tc\u000bd')).toBe('ab\tcd');
  });
});

describe('export writers', () => {
  const image = orientedImageFromStored(400, 300, 1);
  const box = { x: 40, y: 30, width: 80, height: 60 };

  it('XMP holds only characters XML 1.0 allows, and no bidi overrides', () => {
    const names = [`Nu${NUL}ll`, `Ann${ESC}[31mRed`, `Eve${RLO}gpj`, `Bell\u0007\u0001`];
    const xmp = mergeFaceRegions(
      undefined,
      names.map((name, i) => ({ name, box: { ...box, x: 40 + i * 90 } })),
      image,
    );
    expect(xmp).not.toMatch(NOT_XML_CHAR);
    expect(xmp).not.toMatch(BIDI_CONTROL);
    expect(readFaceRegions(xmp, image).map((r) => r.name)).toEqual(['Null', 'Ann[31mRed', 'Evegpj', 'Bell']);
  });

  it.skipIf(!HAS_EXIFTOOL)('ExifTool reads every name of such a sidecar', async () => {
    const tmp = tempDir('names-exiftool-');
    try {
      const photo = join(tmp.dir, 'p.jpg');
      await makePhoto(photo, { faces: [], size: 64 });
      const sidecar = await writeFaceSidecar(photo, [
        { name: `Nu${NUL}ll`, box: { x: 0, y: 0, width: 16, height: 16 } },
        { name: `Ann${ESC}Red`, box: { x: 32, y: 32, width: 16, height: 16 } },
      ]);
      const out = execFileSync('exiftool', ['-j', '-struct', '-XMP-mwg-rs:RegionInfo', sidecar], { encoding: 'utf8' });
      const list = (JSON.parse(out) as { RegionInfo: { RegionList: { Name: string }[] } }[])[0]!.RegionInfo.RegionList;
      expect(list.map((r) => r.Name)).toEqual(['Null', 'AnnRed']);
      expect(readFileSync(sidecar, 'utf8')).not.toMatch(NOT_XML_CHAR);
    } finally {
      tmp.cleanup();
    }
  });

  it('folder and file names lose bidi overrides and controls', () => {
    expect(safeName(`Eve${RLO}gpj.exe`)).toBe('Evegpj.exe');
    expect(safeName(`\u2067Bob\u2069`)).toBe('Bob');
    expect(safeFileName(`photo${RLO}gpj.jpg`)).toBe('photogpj.jpg');
    expect(safeName(`A${ESC}B`)).not.toContain(ESC);
  });
});

describe('importXmp cleans names where they enter', () => {
  const tmp = tempDir('names-import-');
  const photos = join(tmp.dir, 'photos');
  let api: EngineApi;

  beforeAll(async () => {
    mkdirSync(photos, { recursive: true });
    const regions = [
      { cell: 0, name: `Ann${ESC}[31mRed` },
      { cell: 5, name: `Eve${RLO}gpj.exe` },
      { cell: 10, name: `Nu${NUL}ll\u0007` },
    ];
    await makePhoto(join(photos, 'p.jpg'), {
      faces: regions.map((r, i) => ({ cell: r.cell, identity: i })),
      seed: 3,
      size: SIZE,
    });
    api = await openIndexed(join(tmp.dir, 'lib.db'), photos);
    // Raw control characters, as a careless tool writes them (xmldom accepts them).
    const items = regions
      .map(({ cell, name }) => {
        const x = ((cell % 4) + 0.5) / 4;
        const y = (Math.floor(cell / 4) + 0.5) / 4;
        return (
          `<rdf:li><rdf:Description mwg-rs:Type="Face" mwg-rs:Name="${name}"><mwg-rs:Area stArea:x="${x}" ` +
          `stArea:y="${y}" stArea:w="0.25" stArea:h="0.25" stArea:unit="normalized"/></rdf:Description></rdf:li>`
        );
      })
      .join('');
    writeFileSync(
      join(photos, 'p.jpg.xmp'),
      `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
        `<rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" ` +
        `xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"><mwg-rs:Regions rdf:parseType="Resource">` +
        `<mwg-rs:RegionList><rdf:Bag>${items}</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>` +
        `</rdf:Description></rdf:RDF></x:xmpmeta>`,
    );
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    tmp.cleanup();
  });

  it('the people get clean names', async () => {
    const r = await api.importXmp({ folders: [photos], recluster: false });
    expect(r.errors).toEqual([]);
    expect(r.matched).toBe(3);
    const names = api.library.library.people
      .list()
      .map((p) => p.name)
      .filter((n): n is string => n !== null)
      .sort();
    expect(names).toEqual(['Ann[31mRed', 'Evegpj.exe', 'Null']);
  });
});
