/**
 * The container parsers on real data: a JPEG from sharp inside RAF and CR3 containers (test/helpers/
 * raw-containers.ts), TIFF blocks from sharp, HEIF boxes; and on hostile bytes (random, truncated, bit-flipped
 * real files), where they must return nothing rather than throw or read out of bounds.
 */
import fc from 'fast-check';
import sharp, { type WriteableMetadata } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExifDate } from '../../../../../src-main/engine/indexing/exif-date.js';
import { brands, heifPrimaryHasTransform } from '../../../../../src-main/engine/vision/formats/isobmff.js';
import { jpegFrame } from '../../../../../src-main/engine/vision/formats/jpeg-frame.js';
import { rawPreview } from '../../../../../src-main/engine/vision/formats/raw-preview.js';
import { tiffOrientation } from '../../../../../src-main/engine/vision/formats/tiff.js';
import { cr3File, heifMeta, rafFile } from '../../../../helpers/raw-containers.js';

let jpeg: Buffer;
let tiffIfd0: Buffer;
let tiffExif: Buffer;

beforeAll(async () => {
  const pixels = { create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } } as const;
  jpeg = await sharp(pixels).jpeg().toBuffer();
  // EXIF blocks (TIFF structure) as libvips writes them into a JPEG: orientation 8 in one, a date in the other.
  const exifOf = async (metadata: WriteableMetadata): Promise<Buffer> =>
    (await sharp(await sharp(pixels).jpeg().withMetadata(metadata).toBuffer()).metadata()).exif!;
  tiffIfd0 = await exifOf({ orientation: 8 });
  tiffExif = await exifOf({ exif: { IFD0: { DateTime: '2019:12:31 23:59:58' } } });
});

describe('jpegFrame', () => {
  it('reads the size of a baseline JPEG and refuses what is not one', () => {
    expect(jpegFrame(jpeg)).toEqual({ width: 64, height: 48, decodable: true });
    expect(jpegFrame(Buffer.from('not a jpeg'))).toBeNull();
    expect(jpegFrame(jpeg.subarray(0, 10))).toBeNull();
  });
});

describe('tiffOrientation', () => {
  it('reads IFD0 orientation from a TIFF block', () => {
    expect(tiffOrientation(tiffIfd0)).toBe(8);
    expect(tiffOrientation(tiffExif)).toBe(1);
    expect(tiffOrientation(undefined)).toBeUndefined();
  });
});

describe('heifPrimaryHasTransform', () => {
  it("sees a rotation or mirror only when it is the primary item's", () => {
    expect(heifPrimaryHasTransform(heifMeta(['ispe']))).toBe(false);
    expect(heifPrimaryHasTransform(heifMeta(['ispe', 'irot']))).toBe(true);
    expect(heifPrimaryHasTransform(heifMeta(['ispe', 'imir'], { primary: 7 }))).toBe(true);
    expect(heifPrimaryHasTransform(heifMeta(['ispe'], { rotateOther: true }))).toBe(false);
    expect(brands(heifMeta(['ispe']))).toEqual(['heic', 'mif1', 'heic']);
  });
});

describe('rawPreview', () => {
  it('RAF: the JPEG the header points at, orientation left to the JPEG', () => {
    const found = rawPreview(rafFile(jpeg));
    expect(found).toMatchObject({ container: 'raf', width: 64, height: 48, orientation: undefined });
    expect(found!.jpeg.equals(jpeg)).toBe(true);
  });

  it("CR3: the first track's JPEG, orientation from CMT1, date from the metadata", () => {
    const found = rawPreview(cr3File(jpeg, tiffIfd0, tiffExif));
    expect(brands(cr3File(jpeg, tiffIfd0, tiffExif))[0]).toBe('crx ');
    expect(found).toMatchObject({ container: 'cr3', width: 64, height: 48, orientation: 8 });
    expect(found!.jpeg.equals(jpeg)).toBe(true);
    expect(parseExifDate(found!.exif)).toBe('2019-12-31T23:59:58');
  });

  it('finds nothing in a TIFF whose strips are JPEG-compressed (abbreviated streams), or in a JPEG', async () => {
    const tiff = await sharp(jpeg).tiff({ compression: 'jpeg' }).toBuffer();
    expect(rawPreview(tiff)).toBeNull();
    expect(rawPreview(jpeg)).toBeNull();
  });

  it('never throws on random bytes, truncated or damaged containers', () => {
    const files = [rafFile(jpeg), cr3File(jpeg, tiffIfd0, tiffExif), tiffIfd0, heifMeta(['ispe', 'irot'])];
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (file, cut, flips) => {
          const bytes = Buffer.from(file.subarray(0, cut % (file.length + 1)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          rawPreview(bytes);
          heifPrimaryHasTransform(bytes);
          brands(bytes);
          jpegFrame(bytes);
          tiffOrientation(bytes);
        },
      ),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (random) => {
        const bytes = Buffer.from(random);
        expect(() => [rawPreview(bytes), heifPrimaryHasTransform(bytes), jpegFrame(bytes)]).not.toThrow();
      }),
    );
  });
});
