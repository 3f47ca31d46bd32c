/**
 * The frame header of a JPEG stream: its size and whether sharp (libjpeg) can decode it. Used to pick the
 * full-size preview among the JPEG streams a RAW file embeds (thumbnails, previews, and the lossless-JPEG
 * sensor data of CR2 and DNG, which is not a picture).
 */

export interface JpegFrame {
  width: number;
  height: number;
  /**
   * Baseline, extended or progressive Huffman (SOF0-2) with its own tables: decodable; lossless and
   * arithmetic ones, and abbreviated streams, are not.
   */
  decodable: boolean;
}

/** Reads markers from SOI to the first SOFn; null when `jpeg` is not a JPEG stream or is cut short. */
export function jpegFrame(jpeg: Buffer): JpegFrame | null {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let at = 2;
  // Abbreviated streams (JPEG-compressed TIFF strips) keep their tables in the TIFF's JPEGTables tag and do
  // not decode alone: a frame without its own quantisation tables is not a picture here.
  let tables = false;
  // A frame header sits within the first markers; cap the walk so a hostile stream cannot make it long.
  for (let steps = 0; steps < 256 && at + 4 <= jpeg.length; steps++) {
    if (jpeg[at] !== 0xff) return null;
    const marker = jpeg[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = jpeg.readUInt16BE(at + 2);
    if (length < 2) return null;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (at + 9 > jpeg.length) return null;
      const height = jpeg.readUInt16BE(at + 5);
      const width = jpeg.readUInt16BE(at + 7);
      if (width === 0 || height === 0) return null;
      return { width, height, decodable: marker <= 0xc2 && tables };
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame
    if (marker === 0xdb) tables = true;
    at += 2 + length;
  }
  return null;
}
