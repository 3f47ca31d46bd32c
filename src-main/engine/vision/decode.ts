/**
 * Photo decoding with sharp (libvips): EXIF auto-orientation, shrink-on-load, and typed errors.
 *
 * Every path that can fail maps to a PhotoError with a reason the indexer records; nothing here throws
 * anything else for bad input.
 */
import { stat } from 'node:fs/promises';
import sharp from 'sharp';
import type { PhotoErrorReason } from '../../../src-shared/analysis.js';
import { PhotoError } from './analysis.js';
import type { RgbImage } from './types.js';

/**
 * Decompression-bomb guard: photos above this many pixels (width x height as stored) are refused with
 * reason 'too-large'. 250 MP covers every consumer camera and stitched panoramas up to ~20000 x 12500,
 * while a hostile 64k x 64k PNG (4 GP, a few KB on disk) is rejected before any pixel is decoded.
 */
export const MAX_INPUT_PIXELS = 250_000_000;

/**
 * Largest side we decode to. Faces in larger images are still found (a 40 px face in a 12000 px wide
 * panorama is 20 px after a 2x shrink, the detector pyramid's floor); JPEG shrink-on-load makes the
 * decode itself several times faster.
 */
export const MAX_DECODE_SIDE = 6144;

export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'tiff', 'heif', 'gif'] as const;

export interface DecodedPhoto {
  /** RGB pixels, EXIF orientation applied, possibly shrunk (see `scale`). */
  image: RgbImage;
  /** Size of the oriented photo at full resolution (what coordinates are reported in). */
  width: number;
  height: number;
  /** decoded pixels per full-resolution pixel (1 unless shrunk). */
  scale: number;
  /** sharp's format name: jpeg, png, webp, tiff, heif (AVIF/HEIC), gif. */
  format: string;
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
  const maxPixels = options.maxPixels ?? MAX_INPUT_PIXELS;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new PhotoError(path, 'unreadable', 'not a regular file');
    if (info.size === 0) throw new PhotoError(path, 'empty', 'file is empty');
  } catch (error) {
    if (error instanceof PhotoError) throw error;
    throw new PhotoError(path, 'unreadable', (error as NodeJS.ErrnoException).code ?? String(error));
  }

  try {
    // failOn 'error': tolerate libjpeg warnings (slightly damaged files still show their faces), but refuse
    // files that cannot be decoded. `pages: 1` takes the first frame of animated GIF/WebP.
    const input = sharp(path, { failOn: 'error', limitInputPixels: maxPixels, pages: 1, sequentialRead: true });
    const meta = await input.metadata();
    if (!meta.format || !(SUPPORTED_FORMATS as readonly string[]).includes(meta.format)) {
      throw new PhotoError(path, 'unsupported', `format ${meta.format ?? 'unknown'} is not supported`);
    }
    if (!meta.width || !meta.height) throw new PhotoError(path, 'corrupt', 'image has no dimensions');
    if (meta.width * meta.height > maxPixels) {
      throw new PhotoError(path, 'too-large', `${meta.width}x${meta.height} exceeds ${maxPixels / 1e6} megapixels`);
    }
    // Orientations 5-8 swap width and height.
    const swap = (meta.orientation ?? 1) >= 5;
    const width = swap ? meta.height : meta.width;
    const height = swap ? meta.width : meta.height;
    const longest = Math.max(width, height);
    // fastShrinkOnLoad lets libjpeg decode directly at 1/2, 1/4 or 1/8 when the photo is larger than needed.
    const pipeline =
      longest > maxSide
        ? input.rotate().resize(maxSide, maxSide, { fit: 'inside', fastShrinkOnLoad: true })
        : input.rotate();
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
      format: meta.format,
      exif: meta.exif,
    };
  } catch (error) {
    if (error instanceof PhotoError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new PhotoError(path, classifySharpError(message), message.split('\n')[0]!);
  }
}

/** Maps libvips/sharp messages onto our reasons. */
export function classifySharpError(message: string): PhotoErrorReason {
  const m = message.toLowerCase();
  if (m.includes('pixel limit') || m.includes('exceeds')) return 'too-large';
  if (m.includes('unsupported image format') || m.includes('no decode') || m.includes('not a known file format')) {
    return 'unsupported';
  }
  if (m.includes('no such file') || m.includes('permission denied') || m.includes('input file is missing')) {
    return 'unreadable';
  }
  return 'corrupt';
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
