/**
 * Minimal EXIF reader for the date a photo was taken: DateTimeOriginal (0x9003) from the Exif IFD, falling back
 * to DateTimeDigitized (0x9004) and then IFD0's DateTime (0x0132). Input: the buffer sharp's metadata().exif
 * gives (optionally prefixed with "Exif\0\0"). Output: 'YYYY-MM-DDTHH:MM:SS' or null; never throws.
 */

const EXIF_IFD_POINTER = 0x8769;
const DATE_TIME_ORIGINAL = 0x9003;
const DATE_TIME_DIGITIZED = 0x9004;
const DATE_TIME = 0x0132;

export function parseExifDate(exif: Buffer | undefined): string | null {
  if (!exif || exif.length < 8) return null;
  try {
    let base = 0;
    if (exif.subarray(0, 6).toString('latin1') === 'Exif\0\0') base = 6;
    const order = exif.subarray(base, base + 2).toString('latin1');
    if (order !== 'II' && order !== 'MM') return null;
    const le = order === 'II';
    const u16 = (o: number): number => (le ? exif.readUInt16LE(base + o) : exif.readUInt16BE(base + o));
    const u32 = (o: number): number => (le ? exif.readUInt32LE(base + o) : exif.readUInt32BE(base + o));
    if (u16(2) !== 42) return null;

    const readIfd = (offset: number): Map<number, { type: number; count: number; valueAt: number }> => {
      const out = new Map<number, { type: number; count: number; valueAt: number }>();
      if (offset <= 0 || base + offset + 2 > exif.length) return out;
      const n = u16(offset);
      for (let i = 0; i < n; i++) {
        const e = offset + 2 + i * 12;
        if (base + e + 12 > exif.length) break;
        const type = u16(e + 2);
        const count = u32(e + 4);
        const valueAt = type === 2 && count > 4 ? u32(e + 8) : e + 8;
        out.set(u16(e), { type, count, valueAt });
      }
      return out;
    };
    const ascii = (entry: { type: number; count: number; valueAt: number } | undefined): string | null => {
      if (!entry || entry.type !== 2) return null;
      const start = base + entry.valueAt;
      if (start + entry.count > exif.length) return null;
      return exif
        .subarray(start, start + entry.count)
        .toString('latin1')
        .replace(/\0.*$/s, '');
    };

    const ifd0 = readIfd(u32(4));
    const exifPtr = ifd0.get(EXIF_IFD_POINTER);
    const exifIfd = exifPtr ? readIfd(u32(exifPtr.valueAt)) : new Map();
    for (const raw of [
      ascii(exifIfd.get(DATE_TIME_ORIGINAL)),
      ascii(exifIfd.get(DATE_TIME_DIGITIZED)),
      // A block that is the Exif IFD itself (Canon CR3's CMT2) has the date in its first IFD.
      ascii(ifd0.get(DATE_TIME_ORIGINAL)),
      ascii(ifd0.get(DATE_TIME)),
    ]) {
      const iso = normaliseExifDate(raw);
      if (iso) return iso;
    }
    return null;
  } catch {
    return null;
  }
}

/** 'YYYY:MM:DD HH:MM:SS' -> 'YYYY-MM-DDTHH:MM:SS'; null for blanks ('0000:00:00 ...') and junk. */
export function normaliseExifDate(raw: string | null): string | null {
  if (!raw) return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  if (Number(y) < 1800 || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return null;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}`;
}
