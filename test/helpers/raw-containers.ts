/**
 * The two RAW containers ExifTool cannot create, assembled around real encoder output for the parser tests:
 * Fujifilm RAF (a fixed header pointing at the embedded JPEG) and Canon CR3 (ISO-BMFF: `ftyp crx `, a `moov`
 * with Canon's metadata box holding CMT1/CMT2 TIFF blocks and a first track whose one sample is the
 * full-size JPEG in `mdat`). The layouts follow the published descriptions of both formats (the RAF header
 * of libopenraw/ExifTool's FujiFilm.pm, and the CR3 description of lclevy/canon_cr3); only the fields the
 * app reads are filled in.
 */

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

function fullBox(type: string, version: number, ...payload: Buffer[]): Buffer {
  const vf = Buffer.alloc(4);
  vf.writeUInt32BE(version << 24, 0);
  return box(type, vf, ...payload);
}

const u32 = (...values: number[]): Buffer => {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v, i * 4));
  return b;
};

/** A RAF file: 'FUJIFILMCCD-RAW ' header, JPEG offset and length at bytes 84 and 88, then the JPEG. */
export function rafFile(jpeg: Buffer): Buffer {
  const header = Buffer.alloc(160);
  header.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
  header.write('X-T3', 28, 'latin1');
  header.writeUInt32BE(header.length, 84);
  header.writeUInt32BE(jpeg.length, 88);
  return Buffer.concat([header, jpeg]);
}

/** A CR3 file whose first track's sample is `jpeg`; `cmt1`/`cmt2` are TIFF blocks (IFD0, Exif IFD). */
export function cr3File(jpeg: Buffer, cmt1: Buffer, cmt2: Buffer): Buffer {
  const ftyp = box('ftyp', Buffer.from('crx ', 'latin1'), u32(1), Buffer.from('crx isom', 'latin1'));
  const canon = box(
    'uuid',
    Buffer.from('85c0b687820f11e08111f4ce462b6a48', 'hex'),
    box('CMT1', cmt1),
    box('CMT2', cmt2),
  );
  const build = (offset: number): Buffer => {
    const stsz = fullBox('stsz', 0, u32(jpeg.length, 1));
    const co64 = Buffer.alloc(8);
    co64.writeBigUInt64BE(BigInt(offset));
    const stbl = box('stbl', stsz, fullBox('co64', 0, u32(1), co64));
    const trak = box('trak', box('mdia', box('minf', stbl)));
    return Buffer.concat([ftyp, box('moov', canon, trak)]);
  };
  // The sample's offset depends on the header's length, which does not depend on the offset's value.
  const head = build(0);
  return Buffer.concat([build(head.length + 8), box('mdat', jpeg)]);
}

/**
 * The `ftyp` and `meta` boxes of a HEIF file whose primary item (id `primary`) has the properties `props`
 * ('ispe', 'irot', 'imir', …; associated in this order), and item 2 has 'irot' when `rotateOther` is set. Only
 * the boxes heifPrimaryHasTransform reads (ISO/IEC 23008-12: pitm, iprp/ipco, iprp/ipma); no image data.
 */
export function heifMeta(props: string[], options: { primary?: number; rotateOther?: boolean } = {}): Buffer {
  const primary = options.primary ?? 1;
  const pitm = fullBox('pitm', 0, Buffer.from([primary >> 8, primary & 0xff]));
  const all = [...props, ...(options.rotateOther ? ['irot'] : [])];
  const ipco = box('ipco', ...all.map((t) => box(t, Buffer.alloc(t === 'ispe' ? 12 : 1))));
  const entry = (item: number, indices: number[]): Buffer =>
    Buffer.from([item >> 8, item & 0xff, indices.length, ...indices.map((i) => 0x80 | i)]);
  const entries = [
    entry(
      primary,
      props.map((_, i) => i + 1),
    ),
  ];
  if (options.rotateOther) entries.push(entry(primary + 1, [all.length]));
  const ipma = fullBox('ipma', 0, u32(entries.length), ...entries);
  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
  return Buffer.concat([ftyp, fullBox('meta', 0, pitm, box('iprp', ipco, ipma))]);
}
