/**
 * The full-size JPEG preview that cameras embed in their RAW files, with the RAW's orientation and EXIF.
 * Faces are found on that preview, and it is what the app shows for the photo, so the photo's size and its
 * face boxes are the preview's displayed (oriented) pixels. No demosaicing and no external tool: the
 * containers are read here in TypeScript.
 *
 * - TIFF-based (CR2, NEF, ARW, DNG, PEF, ORF, RW2, SRW, …): every JPEG stream the IFDs point at (IFD chain,
 *   SubIFDs, JPEGInterchangeFormat, single strips, RW2's JpgFromRaw) is a candidate; the largest one that
 *   libjpeg can decode wins, which skips thumbnails and the lossless-JPEG sensor data.
 * - CR3 (ISO-BMFF): the first track's sample is the full-size JPEG; CMT1/CMT2 hold IFD0 and the Exif IFD.
 * - RAF: the header gives the offset and length of the embedded JPEG, whose own EXIF has orientation and date.
 */
import { RAW_EXTENSIONS as RAW_FILE_EXTENSIONS } from '../../../../src-shared/photo-formats.js';
import { brands, cr3Parts } from './isobmff.js';
import { jpegFrame } from './jpeg-frame.js';
import { TAG, TiffReader, tiffOrientation, type Ifd } from './tiff.js';

/** RAW file extensions (lower case, with the dot) whose embedded preview the app decodes. */
export const RAW_EXTENSIONS: ReadonlySet<string> = new Set(RAW_FILE_EXTENSIONS);

export interface RawPreview {
  /** The container: 'tiff' for the TIFF-based formats, 'cr3' or 'raf'. */
  container: 'tiff' | 'cr3' | 'raf';
  jpeg: Buffer;
  width: number;
  height: number;
  /** The RAW's EXIF orientation (1-8); undefined when the RAW has none (then the JPEG's own EXIF applies). */
  orientation: number | undefined;
  /** A TIFF/EXIF block with the capture date, when the container has one outside the JPEG. */
  exif: Buffer | undefined;
}

const RAF_MAGIC = 'FUJIFILMCCD-RAW';

/** The embedded full-size preview of a RAW file's bytes, or null when none is found. */
export function rawPreview(buf: Buffer): RawPreview | null {
  if (buf.subarray(0, RAF_MAGIC.length).toString('latin1') === RAF_MAGIC) return rafPreview(buf);
  if (brands(buf)[0] === 'crx ') return cr3Preview(buf);
  return tiffPreview(buf);
}

function withFrame(
  container: RawPreview['container'],
  jpeg: Buffer | null,
  orientation: number | undefined,
  exif: Buffer | undefined,
): RawPreview | null {
  const frame = jpeg && jpegFrame(jpeg);
  if (!jpeg || !frame?.decodable) return null;
  return { container, jpeg, width: frame.width, height: frame.height, orientation, exif };
}

function rafPreview(buf: Buffer): RawPreview | null {
  if (buf.length < 92) return null;
  const offset = buf.readUInt32BE(84);
  const length = buf.readUInt32BE(88);
  if (offset + length > buf.length || length === 0) return null;
  return withFrame('raf', buf.subarray(offset, offset + length), undefined, undefined);
}

function cr3Preview(buf: Buffer): RawPreview | null {
  const parts = cr3Parts(buf);
  const orientation = tiffOrientation(parts.ifd0 ?? undefined);
  // CMT2 is the Exif IFD written as its own TIFF block (DateTimeOriginal in its first IFD); CMT1 has DateTime.
  return withFrame('cr3', parts.jpeg, orientation, parts.exif ?? parts.ifd0 ?? undefined);
}

function tiffPreview(buf: Buffer): RawPreview | null {
  const tiff = TiffReader.open(buf);
  if (!tiff) return null;
  const ifd0 = tiff.readIfd(tiff.firstIfd).entries;
  const rawOrientation = tiff.int(ifd0.get(TAG.orientation));
  const orientation =
    rawOrientation !== undefined && rawOrientation >= 1 && rawOrientation <= 8 ? rawOrientation : undefined;

  // Every IFD: the chain, and the SubIFDs below any of them (two levels are enough for every camera format).
  const ifds: Ifd[] = [];
  const visit = (start: number, depth: number): void => {
    for (const { entries } of tiff.chain(start)) {
      ifds.push(entries);
      const sub = entries.get(TAG.subIfds);
      if (sub && depth < 2) for (const at of tiff.ints(sub).slice(0, 16)) visit(at, depth + 1);
    }
  };
  visit(tiff.firstIfd, 0);

  let best: RawPreview | null = null;
  const consider = (at: number | undefined, length: number | undefined): void => {
    if (at === undefined || length === undefined || length < 4) return;
    const jpeg = tiff.bytes(at, length);
    const found = jpeg && withFrame('tiff', jpeg, orientation, buf);
    if (found && (!best || found.width * found.height > best.width * best.height)) best = found;
  };
  for (const ifd of ifds) {
    consider(tiff.int(ifd.get(TAG.jpegOffset)), tiff.int(ifd.get(TAG.jpegLength)));
    const strips = ifd.get(TAG.stripOffsets);
    const counts = ifd.get(TAG.stripByteCounts);
    if (strips && counts && strips.count === 1) consider(tiff.int(strips), tiff.int(counts));
    const rw2 = ifd.get(TAG.rw2JpgFromRaw);
    if (rw2 && rw2.type === 7) consider(rw2.dataAt, rw2.count);
  }
  return best;
}
