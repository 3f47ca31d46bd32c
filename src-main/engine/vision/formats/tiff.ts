/**
 * A bounds-checked reader of TIFF structures (image file directories) in a byte buffer: EXIF blocks, and
 * the TIFF-based RAW formats (CR2, NEF, ARW, DNG, PEF, and the variants ORF and RW2 with their own magic
 * numbers). It only reads: entries whose data lie outside the buffer are dropped, loops of IFD offsets end,
 * and nothing here throws for hostile input (callers get empty results instead).
 */

export interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  /** Offset of the entry's data from the TIFF header (inline values point into the entry itself). */
  dataAt: number;
}

export type Ifd = Map<number, IfdEntry>;

/** Bytes per value of each TIFF field type (1 BYTE … 13 IFD); unknown types are 1. */
const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};

/** TIFF magic numbers: 42 (TIFF, and the TIFF-based RAWs), Olympus ORF ('RO', 'SR'), Panasonic RW2 (0x55). */
const MAGICS = new Set([42, 0x4f52, 0x5352, 0x55]);

export class TiffReader {
  readonly le: boolean;

  private constructor(
    readonly buf: Buffer,
    /** Offset of the TIFF header in `buf` (offsets inside TIFF data count from it). */
    readonly base: number,
    le: boolean,
  ) {
    this.le = le;
  }

  /** A reader when `buf` holds a TIFF header at `base` (an optional "Exif\0\0" prefix is skipped), else null. */
  static open(buf: Buffer, base = 0): TiffReader | null {
    if (buf.length >= base + 6 && buf.subarray(base, base + 6).toString('latin1') === 'Exif\0\0') base += 6;
    if (buf.length < base + 8) return null;
    const order = buf.subarray(base, base + 2).toString('latin1');
    if (order !== 'II' && order !== 'MM') return null;
    const reader = new TiffReader(buf, base, order === 'II');
    return MAGICS.has(reader.u16(2)) ? reader : null;
  }

  /** True when `length` bytes at TIFF offset `at` lie inside the buffer. */
  has(at: number, length: number): boolean {
    return at >= 0 && length >= 0 && this.base + at + length <= this.buf.length;
  }

  u16(at: number): number {
    if (!this.has(at, 2)) return 0;
    return this.le ? this.buf.readUInt16LE(this.base + at) : this.buf.readUInt16BE(this.base + at);
  }

  u32(at: number): number {
    if (!this.has(at, 4)) return 0;
    return this.le ? this.buf.readUInt32LE(this.base + at) : this.buf.readUInt32BE(this.base + at);
  }

  /** Offset of the first IFD. */
  get firstIfd(): number {
    return this.u32(4);
  }

  /** The entries of the IFD at `at` and the offset of the next IFD (0 when none). */
  readIfd(at: number): { entries: Ifd; next: number } {
    const entries: Ifd = new Map();
    if (at <= 0 || !this.has(at, 2)) return { entries, next: 0 };
    const n = this.u16(at);
    if (!this.has(at, 2 + n * 12)) return { entries, next: 0 };
    for (let i = 0; i < n; i++) {
      const e = at + 2 + i * 12;
      const type = this.u16(e + 2);
      const count = this.u32(e + 4);
      const size = (TYPE_SIZE[type] ?? 1) * count;
      const dataAt = size > 4 ? this.u32(e + 8) : e + 8;
      if (this.has(dataAt, size)) entries.set(this.u16(e), { tag: this.u16(e), type, count, dataAt });
    }
    return { entries, next: this.has(at + 2 + n * 12, 4) ? this.u32(at + 2 + n * 12) : 0 };
  }

  /** The IFD chain from `start` (IFD0, IFD1, …), at most `limit` long; a loop ends it. */
  chain(start = this.firstIfd, limit = 16): { at: number; entries: Ifd }[] {
    const out: { at: number; entries: Ifd }[] = [];
    const seen = new Set<number>();
    for (let at = start; at > 0 && !seen.has(at) && out.length < limit;) {
      seen.add(at);
      const { entries, next } = this.readIfd(at);
      out.push({ at, entries });
      at = next;
    }
    return out;
  }

  /** The first value of an integer entry (BYTE, SHORT, LONG), or undefined. */
  int(entry: IfdEntry | undefined): number | undefined {
    return entry ? this.ints(entry)[0] : undefined;
  }

  /** The values of an integer entry (BYTE, SHORT, LONG or IFD), at most 1024. */
  ints(entry: IfdEntry): number[] {
    const out: number[] = [];
    for (let i = 0; i < Math.min(entry.count, 1024); i++) {
      if (entry.type === 3) out.push(this.u16(entry.dataAt + i * 2));
      else if (entry.type === 4 || entry.type === 13) out.push(this.u32(entry.dataAt + i * 4));
      else if (entry.type === 1 || entry.type === 7) out.push(this.buf[this.base + entry.dataAt + i]!);
      else break;
    }
    return out;
  }

  /** The bytes `length` long at TIFF offset `at`, or null when they are not all inside the buffer. */
  bytes(at: number, length: number): Buffer | null {
    return this.has(at, length) ? this.buf.subarray(this.base + at, this.base + at + length) : null;
  }
}

/** TIFF tags this module's callers read. */
export const TAG = {
  orientation: 0x0112,
  subIfds: 0x014a,
  exifIfd: 0x8769,
  compression: 0x0103,
  stripOffsets: 0x0111,
  stripByteCounts: 0x0117,
  jpegOffset: 0x0201,
  jpegLength: 0x0202,
  /** Panasonic RW2: the embedded full-size JPEG ("JpgFromRaw"), an UNDEFINED block in IFD0. */
  rw2JpgFromRaw: 0x002e,
  /** Nikon and others: a preview IFD inside the maker notes is not read; the SubIFDs hold NEF's preview. */
  makerNote: 0x927c,
} as const;

/** The EXIF orientation (IFD0 tag 0x0112) of a TIFF/EXIF block, or undefined when absent or invalid. */
export function tiffOrientation(buf: Buffer | undefined): number | undefined {
  if (!buf) return undefined;
  const tiff = TiffReader.open(buf);
  if (!tiff) return undefined;
  const value = tiff.int(tiff.readIfd(tiff.firstIfd).entries.get(TAG.orientation));
  return value !== undefined && value >= 1 && value <= 8 ? value : undefined;
}
