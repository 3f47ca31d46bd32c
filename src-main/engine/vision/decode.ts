/**
 * Photo decoding to RGB for the face pipeline: any supported format (formats/open.ts: sharp, HEIC through
 * libheif, RAW through its embedded preview), EXIF orientation applied, shrink-on-load, and typed errors.
 *
 * Every path that can fail maps to a PhotoError with a reason the indexer records; nothing here throws
 * anything else for bad input.
 */
import sharp from 'sharp';
import { PhotoError } from './analysis.js';
import { openPhoto, photoErrorOf, type PhotoFormat } from './formats/open.js';
import type { RgbImage } from './types.js';

/**
 * Largest side we decode to. Faces in larger images are still found (a 40 px face in a 12000 px wide
 * panorama is 20 px after a 2x shrink, the detector pyramid's floor); JPEG shrink-on-load makes the
 * decode itself several times faster.
 */
export const MAX_DECODE_SIDE = 6144;

export interface DecodedPhoto {
  /** RGB pixels, EXIF orientation applied, possibly shrunk (see `scale`). */
  image: RgbImage;
  /** Size of the oriented photo at full resolution (what coordinates are reported in). */
  width: number;
  height: number;
  /** decoded pixels per full-resolution pixel (1 unless shrunk). */
  scale: number;
  /** What the file was decoded as (formats/open.ts). */
  format: PhotoFormat;
  /** Raw EXIF block, when present (for the capture date). */
  exif?: Buffer;
}

export interface DecodeOptions {
  maxSide?: number;
  maxPixels?: number;
}

/** Decodes one photo file. Throws PhotoError (never anything else) for missing, unsupported or bad input. */
export async function decodePhoto(path: string, options: DecodeOptions = {}): Promise<DecodedPhoto> {
  const maxSide = options.maxSide ?? MAX_DECODE_SIDE;
  const opened = await openPhoto(path, options.maxPixels === undefined ? {} : { maxPixels: options.maxPixels });
  try {
    const { width, height } = opened;
    const input = opened.pixels();
    // fastShrinkOnLoad lets libjpeg decode directly at 1/2, 1/4 or 1/8 when the photo is larger than needed.
    const pipeline =
      Math.max(width, height) > maxSide
        ? input.resize(maxSide, maxSide, { fit: 'inside', fastShrinkOnLoad: true })
        : input;
    const { data, info } = await pipeline
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new PhotoError(path, 'unsupported', `${info.channels} channels after conversion`);
    return {
      image: {
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        width: info.width,
        height: info.height,
      },
      width,
      height,
      scale: info.width / width,
      format: opened.format,
      exif: opened.exif,
    };
  } catch (error) {
    throw photoErrorOf(path, error);
  }
}

/** Resizes raw RGB pixels with sharp (libvips, area-averaging when shrinking). */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: width < image.width ? 'lanczos3' : 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
  };
}
