/**
 * A bounds-checked walker of ISO base media file format boxes (ISO/IEC 14496-12): HEIF/HEIC (ISO/IEC
 * 23008-12) and Canon CR3. Only what the decoders here need: box lists, the HEIF primary item's
 * transformative properties, and CR3's metadata and full-size JPEG. Never throws for hostile input.
 */

export interface Box {
  type: string;
  /** Offset of the box's payload (after size, type and any 64-bit size) in the buffer. */
  start: number;
  /** Offset just past the box. */
  end: number;
}

/** The boxes between `start` and `end` (a box running past `end` is clipped; one of size < 8 ends the list). */
export function boxes(buf: Buffer, start = 0, end = buf.length): Box[] {
  const out: Box[] = [];
  let at = start;
  while (at + 8 <= end && out.length < 4096) {
    let size = buf.readUInt32BE(at);
    const type = buf.subarray(at + 4, at + 8).toString('latin1');
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header) break;
    out.push({ type, start: at + header, end: Math.min(end, at + size) });
    at += size;
  }
  return out;
}

/** The first child box of `type`, or undefined. */
export function child(buf: Buffer, parent: Box | undefined, type: string, skip = 0): Box | undefined {
  if (!parent) return undefined;
  return boxes(buf, parent.start + skip, parent.end).find((b) => b.type === type);
}

/** The major and compatible brands of the `ftyp` box at the start of the file, or [] when there is none. */
export function brands(buf: Buffer): string[] {
  const ftyp = boxes(buf, 0, Math.min(buf.length, 4096))[0];
  if (!ftyp || ftyp.type !== 'ftyp' || ftyp.end - ftyp.start < 8) return [];
  const out = [buf.subarray(ftyp.start, ftyp.start + 4).toString('latin1')];
  for (let at = ftyp.start + 8; at + 4 <= ftyp.end; at += 4) out.push(buf.subarray(at, at + 4).toString('latin1'));
  return out;
}

/**
 * Whether the HEIF primary item carries a rotation or mirror property ('irot', 'imir'). libheif applies
 * them when decoding, and then the EXIF orientation must not be applied again (HEIF: the EXIF tag is
 * informative only). Files without them (some encoders keep the camera's orientation in EXIF alone) get the
 * EXIF orientation applied by the caller.
 */
export function heifPrimaryHasTransform(buf: Buffer): boolean {
  const meta = boxes(buf).find((b) => b.type === 'meta');
  if (!meta) return false;
  const inner = boxes(buf, meta.start + 4, meta.end); // meta is a full box: 4 bytes version + flags
  const pitm = inner.find((b) => b.type === 'pitm');
  const iprp = inner.find((b) => b.type === 'iprp');
  if (!pitm || !iprp || pitm.end - pitm.start < 6) return false;
  const pitmVersion = buf[pitm.start]!;
  const primary = pitmVersion === 0 ? buf.readUInt16BE(pitm.start + 4) : buf.readUInt32BE(pitm.start + 4);
  const ipco = child(buf, iprp, 'ipco');
  if (!ipco) return false;
  const properties = boxes(buf, ipco.start, ipco.end).map((b) => b.type);
  for (const ipma of boxes(buf, iprp.start, iprp.end).filter((b) => b.type === 'ipma')) {
    if (ipma.end - ipma.start < 8) continue;
    const version = buf[ipma.start]!;
    const wide = (buf.readUInt32BE(ipma.start) & 1) === 1; // flags bit 0: 15-bit property indices
    const count = buf.readUInt32BE(ipma.start + 4);
    let at = ipma.start + 8;
    for (let i = 0; i < count && at < ipma.end; i++) {
      const idSize = version < 1 ? 2 : 4;
      if (at + idSize + 1 > ipma.end) return false;
      const item = idSize === 2 ? buf.readUInt16BE(at) : buf.readUInt32BE(at);
      at += idSize;
      const n = buf[at]!;
      at += 1;
      for (let k = 0; k < n; k++) {
        if (at + (wide ? 2 : 1) > ipma.end) return false;
        const index = wide ? buf.readUInt16BE(at) & 0x7fff : buf[at]! & 0x7f;
        at += wide ? 2 : 1;
        const type = properties[index - 1];
        if (item === primary && (type === 'irot' || type === 'imir')) return true;
      }
    }
  }
  return false;
}

/** Canon's metadata box inside a CR3 `moov` (CMT1 = IFD0, CMT2 = Exif IFD, both as TIFF blocks). */
const CANON_UUID = '85c0b687820f11e08111f4ce462b6a48';

export interface Cr3Parts {
  /** The full-size JPEG (the first track's sample). */
  jpeg: Buffer | null;
  /** CMT1: IFD0 as a TIFF block (orientation, DateTime). */
  ifd0: Buffer | null;
  /** CMT2: the Exif IFD as a TIFF block (DateTimeOriginal). */
  exif: Buffer | null;
}

/** The parts of a Canon CR3 file the app uses. */
export function cr3Parts(buf: Buffer): Cr3Parts {
  const parts: Cr3Parts = { jpeg: null, ifd0: null, exif: null };
  const moov = boxes(buf).find((b) => b.type === 'moov');
  if (!moov) return parts;
  const kids = boxes(buf, moov.start, moov.end);
  const canon = kids.find(
    (b) =>
      b.type === 'uuid' && b.end - b.start >= 16 && buf.subarray(b.start, b.start + 16).toString('hex') === CANON_UUID,
  );
  if (canon) {
    for (const b of boxes(buf, canon.start + 16, canon.end)) {
      if (b.type === 'CMT1') parts.ifd0 = buf.subarray(b.start, b.end);
      if (b.type === 'CMT2') parts.exif = buf.subarray(b.start, b.end);
    }
  }
  const trak = kids.find((b) => b.type === 'trak');
  const stbl = child(buf, child(buf, child(buf, trak, 'mdia'), 'minf'), 'stbl');
  if (!stbl) return parts;
  const stsz = child(buf, stbl, 'stsz');
  const co64 = child(buf, stbl, 'co64');
  const stco = child(buf, stbl, 'stco');
  if (!stsz || stsz.end - stsz.start < 12) return parts;
  let size = buf.readUInt32BE(stsz.start + 4);
  if (size === 0 && stsz.end - stsz.start >= 16) size = buf.readUInt32BE(stsz.start + 12);
  let offset = -1;
  if (co64 && co64.end - co64.start >= 16) offset = Number(buf.readBigUInt64BE(co64.start + 8));
  else if (stco && stco.end - stco.start >= 12) offset = buf.readUInt32BE(stco.start + 8);
  if (offset >= 0 && size > 0 && offset + size <= buf.length) parts.jpeg = buf.subarray(offset, offset + size);
  return parts;
}
