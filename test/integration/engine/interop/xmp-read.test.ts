/**
 * Reader coverage for the RDF forms real tools write. The samples are checked against ExifTool too, so a
 * sample that ExifTool would read differently cannot make this test pass.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orientedImageFromStored } from '../../../../src-main/engine/interop/orientation.js';
import { XmpParseError } from '../../../../src-main/engine/interop/rdf.js';
import { readFaceRegions } from '../../../../src-main/engine/interop/xmp-read.js';
import { mergeFaceRegions } from '../../../../src-main/engine/interop/xmp-write.js';
import { tempDir } from '../../../helpers/tmp.js';
import { exiftoolJson, HAS_EXIFTOOL, near } from '../../../helpers/oriented-photos.js';

/** Exiv2's serialisation, as digiKam writes sidecars: struct fields as attributes, items as nested Descriptions. */
const DIGIKAM = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:digiKam="http://www.digikam.org/ns/1.0/"
    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
    xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"
    xmlns:MP="http://ns.microsoft.com/photo/1.2/"
    xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#"
    xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
   xmp:Rating="3"
   digiKam:ColorLabel="2">
   <digiKam:TagsList>
    <rdf:Seq>
     <rdf:li>People/Ann</rdf:li>
    </rdf:Seq>
   </digiKam:TagsList>
   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:AppliedToDimensions
     stDim:w="400"
     stDim:h="300"
     stDim:unit="pixel"/>
    <mwg-rs:RegionList>
     <rdf:Bag>
      <rdf:li>
       <rdf:Description
        mwg-rs:Name="Ann"
        mwg-rs:Type="Face">
       <mwg-rs:Area
        stArea:x="0.5"
        stArea:y="0.5"
        stArea:w="0.1"
        stArea:h="0.2"
        stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>
      <rdf:li>
       <rdf:Description
        mwg-rs:Type="Face">
       <mwg-rs:Area
        stArea:x="0.2"
        stArea:y="0.25"
        stArea:w="0.1"
        stArea:h="0.1"
        stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>
      <rdf:li>
       <rdf:Description
        mwg-rs:Name="Rex"
        mwg-rs:Type="Pet">
       <mwg-rs:Area stArea:x="0.8" stArea:y="0.8" stArea:w="0.1" stArea:h="0.1" stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>
     </rdf:Bag>
    </mwg-rs:RegionList>
   </mwg-rs:Regions>
   <MP:RegionInfo rdf:parseType="Resource">
    <MPRI:Regions>
     <rdf:Bag>
      <rdf:li
       MPReg:PersonDisplayName="Ann"
       MPReg:Rectangle="0.45, 0.4, 0.1, 0.2"/>
     </rdf:Bag>
    </MPRI:Regions>
   </MP:RegionInfo>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

/** Adobe XMP toolkit style: structs as nested rdf:Description elements, a Seq instead of a Bag, a pixel area. */
const NESTED = `<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
   <mwg-rs:Regions>
    <rdf:Description>
     <mwg-rs:AppliedToDimensions>
      <rdf:Description><stDim:w>400</stDim:w><stDim:h>300</stDim:h><stDim:unit>pixel</stDim:unit></rdf:Description>
     </mwg-rs:AppliedToDimensions>
     <mwg-rs:RegionList>
      <rdf:Seq>
       <rdf:li>
        <rdf:Description>
         <mwg-rs:Name>Bea</mwg-rs:Name>
         <mwg-rs:Area>
          <rdf:Description><stArea:x>200</stArea:x><stArea:y>150</stArea:y><stArea:w>40</stArea:w><stArea:h>60</stArea:h><stArea:unit>pixel</stArea:unit></rdf:Description>
         </mwg-rs:Area>
        </rdf:Description>
       </rdf:li>
      </rdf:Seq>
     </mwg-rs:RegionList>
    </rdf:Description>
   </mwg-rs:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>`;

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('facenet-xmpread-')));
afterAll(() => cleanup?.());

describe('readFaceRegions', () => {
  it('reads digiKam (Exiv2 attribute form): names, unnamed faces, skips pets, drops the MP twin', () => {
    const regions = readFaceRegions(DIGIKAM, orientedImageFromStored(400, 300, 1));
    expect(regions.map((r) => [r.name, r.source])).toEqual([
      ['Ann', 'mwg'],
      [undefined, 'mwg'],
    ]);
    expect(near(regions[0]!.box, { x: 180, y: 120, width: 40, height: 60 })).toBe(true);
    expect(regions[1]!.box.x).toBeCloseTo(60, 9);
    expect('name' in regions[1]!).toBe(false);
  });

  it('applies the orientation to what it reads', () => {
    // Stored 400x300 with orientation 6: displayed 300x400; stored centre (0.5,0.5) stays central, sizes swap.
    const [ann] = readFaceRegions(DIGIKAM, orientedImageFromStored(400, 300, 6));
    expect(ann!.box.x).toBeCloseTo(120, 9); // (1 - 0.6) * 300
    expect(ann!.box.y).toBeCloseTo(180, 9); // 0.45 * 400
    expect(ann!.box.width).toBeCloseTo(60, 9);
    expect(ann!.box.height).toBeCloseTo(40, 9);
  });

  it('reads nested rdf:Description structs, rdf:Seq, missing Type and pixel units', () => {
    const regions = readFaceRegions(NESTED, orientedImageFromStored(800, 600, 1));
    expect(regions).toHaveLength(1);
    expect(regions[0]!.name).toBe('Bea');
    expect(near(regions[0]!.box, { x: 360, y: 240, width: 80, height: 120 })).toBe(true);
  });

  it('reads an embedded packet with NUL padding and MP-only regions', () => {
    const mpOnly = DIGIKAM.replace(/<mwg-rs:Regions[\s\S]*<\/mwg-rs:Regions>/, '');
    const buffer = Buffer.concat([Buffer.from(mpOnly, 'utf8'), Buffer.alloc(64)]);
    const regions = readFaceRegions(buffer, orientedImageFromStored(400, 300, 1));
    expect(regions.map((r) => [r.name, r.source])).toEqual([['Ann', 'mp']]);
    expect(regions[0]!.box.x).toBeCloseTo(180, 9);
  });

  it('returns nothing for XMP without regions, and throws on text that is not XML', () => {
    expect(readFaceRegions('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>', orientedImageFromStored(10, 10, 1))).toEqual([]);
    expect(() => readFaceRegions(DIGIKAM.slice(0, 2000), orientedImageFromStored(10, 10, 1))).toThrow(XmpParseError);
  });

  it.skipIf(!HAS_EXIFTOOL)(
    'agrees with ExifTool on the samples, and merging into a digiKam sidecar keeps its attribute-form regions',
    async () => {
      const merged = mergeFaceRegions(
        DIGIKAM,
        [
          { name: 'Ann', box: { x: 181, y: 121, width: 40, height: 60 } },
          { name: 'Cy', box: { x: 0, y: 0, width: 40, height: 30 } },
        ],
        orientedImageFromStored(400, 300, 1),
      );
      const files = ['digikam.xmp', 'nested.xmp', 'merged.xmp'].map((f) => join(dir, f));
      await Promise.all([writeFile(files[0]!, DIGIKAM), writeFile(files[1]!, NESTED), writeFile(files[2]!, merged)]);
      const rows = await exiftoolJson(files, ['-XMP:all']);
      const names = (row: Record<string, unknown>): string[] =>
        (row.RegionInfo as { RegionList: { Name?: string; Type?: string }[] }).RegionList.map(
          (r) => `${r.Type ?? ''}:${r.Name ?? ''}`,
        );
      expect(names(rows[0]!)).toEqual(['Face:Ann', 'Face:', 'Pet:Rex']);
      expect(names(rows[1]!)).toEqual([':Bea']);
      expect(names(rows[2]!)).toEqual(['Face:', 'Pet:Rex', 'Face:Ann', 'Face:Cy']);
      expect(rows[2]!.Rating).toBe(3);
      expect(rows[2]!.ColorLabel).toBe(2);
      // digiKam's own People/Ann is not duplicated; Cy, newly written, is added after it.
      expect(rows[2]!.TagsList).toEqual(['People/Ann', 'People/Cy']);
      const mp = rows[2]!.RegionInfoMP as { Regions: { PersonDisplayName?: string }[] };
      expect(mp.Regions.map((r) => r.PersonDisplayName)).toEqual(['Ann', 'Cy']);
      const ours = readFaceRegions(merged, orientedImageFromStored(400, 300, 1));
      expect(ours.map((r) => r.name)).toEqual([undefined, 'Ann', 'Cy']);
    },
  );

  it.skipIf(!HAS_EXIFTOOL)(
    'merges into XMP with unusual prefixes and a clashing MP prefix, and ExifTool still reads it',
    async () => {
      const odd =
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><R:RDF xmlns:R="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<R:Description R:about="" xmlns:MP="http://example.com/not-microsoft/" MP:Foo="bar" ' +
        'xmlns:regions="http://www.metadataworkinggroup.com/schemas/regions/"><regions:Regions R:parseType="Resource">' +
        '<regions:RegionList><R:Seq><R:li R:parseType="Resource"><regions:Name>Keep Me</regions:Name>' +
        '<regions:Type>Face</regions:Type><regions:Area R:parseType="Resource" ' +
        'xmlns:A="http://ns.adobe.com/xmp/sType/Area#"><A:x>0.9</A:x><A:y>0.9</A:y><A:w>0.1</A:w><A:h>0.1</A:h>' +
        '<A:unit>normalized</A:unit></regions:Area></R:li></R:Seq></regions:RegionList></regions:Regions>' +
        '</R:Description></R:RDF></x:xmpmeta>';
      const image = orientedImageFromStored(100, 100, 1);
      const merged = mergeFaceRegions(odd, [{ name: 'New', box: { x: 0, y: 0, width: 10, height: 10 } }], image);
      const file = join(dir, 'odd.xmp');
      await writeFile(file, merged);
      const [row] = await exiftoolJson([file], ['-XMP:all']);
      expect(row!.Foo).toBe('bar');
      const list = (row!.RegionInfo as { RegionList: { Name: string }[] }).RegionList;
      expect(list.map((r) => r.Name)).toEqual(['Keep Me', 'New']);
      expect((row!.RegionInfoMP as { Regions: { PersonDisplayName: string }[] }).Regions[0]!.PersonDisplayName).toBe(
        'New',
      );
      expect(readFaceRegions(merged, image).map((r) => r.name)).toEqual(['Keep Me', 'New']);
    },
  );

  it('keeps names with quotes and markup intact and puts multi-line names on one line', () => {
    const image = orientedImageFromStored(100, 100, 1);
    const box = { x: 10, y: 10, width: 20, height: 20 };
    const xmp = mergeFaceRegions(undefined, [{ name: 'Jo "J" <b>&amp;\nSmith', box }], image);
    expect(readFaceRegions(xmp, image).map((r) => r.name)).toEqual(['Jo "J" <b>&amp; Smith']);
  });
});
