/**
 * Opens any supported photo file as displayed pixels (EXIF orientation applied): what the face pipeline
 * decodes, and what face thumbnails and previews are cut from. Three routes:
 * - sharp (libvips) for JPEG, PNG, WebP, AVIF, TIFF (first page), GIF (first frame), decoded lazily so that
 *   JPEG shrink-on-load still works;
 * - HEVC-coded HEIF (HEIC) through libheif in WebAssembly worker threads (heif.ts), then sharp;
 * - RAW files through their embedded full-size JPEG (raw-preview.ts), oriented by the RAW's own tag.
 * Failures are PhotoErrors with the reason the indexer records.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { PhotoError } from '../analysis.js';
import { heifDecoder } from './heif.js';
import { heifPrimaryHasTransform } from './isobmff.js';
import { orient, swapsAxes } from './orientation.js';
import { RAW_EXTENSIONS, rawPreview } from './raw-preview.js';
import { tiffOrientation } from './tiff.js';

/**
 * Decompression-bomb guard: photos above this many pixels (width x height as stored) are refused with
 * reason 'too-large'. 250 MP covers every consumer camera and stitched panoramas up to ~20000 x 12500,
 * while a hostile 64k x 64k PNG (4 GP, a few KB on disk) is rejected before any pixel is decoded.
 */
export const MAX_INPUT_PIXELS = 250_000_000;

/** What a photo was decoded as: the label `facenet status` counts by. */
export type PhotoFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'heic' | 'tiff' | 'gif' | 'raw';

export interface OpenedPhoto {
  /** A fresh sharp pipeline on the displayed (oriented) pixels; call once per use (sharp objects are single-use). */
  pixels: () => Sharp;
  /** Displayed size. */
  width: number;
  height: number;
  format: PhotoFormat;
  /** EXIF block (TIFF structure, optionally "Exif\0\0"-prefixed) for the capture date, when there is one. */
  exif?: Buffer;
  /** True when `pixels` reads the file itself (JPEG shrink-on-load applies). */
  fromFile: boolean;
}

export interface OpenOptions {
  maxPixels?: number;
}

/** Checks that `path` is a non-empty regular file; PhotoError otherwise. */
async function checkFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new PhotoError(path, 'unreadable', 'not a regular file');
    if (info.size === 0) throw new PhotoError(path, 'empty', 'file is empty');
  } catch (error) {
    if (error instanceof PhotoError) throw error;
    throw new PhotoError(path, 'unreadable', (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

function checkPixels(path: string, width: number, height: number, maxPixels: number): void {
  if (!width || !height) throw new PhotoError(path, 'corrupt', 'image has no dimensions');
  if (width * height > maxPixels) {
    throw new PhotoError(path, 'too-large', `${width}x${height} exceeds ${maxPixels / 1e6} megapixels`);
  }
}

/** Oriented raw pixels of `input`, materialised once, as a factory of sharp pipelines. */
async function materialise(input: Sharp, orientation: number | undefined): Promise<Omit<OpenedPhoto, 'format'>> {
  const { data, info } = await orient(input, orientation).raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  return { pixels: () => sharp(data, { raw }), width: info.width, height: info.height, fromFile: false };
}

/** Maps libvips/sharp messages onto our reasons. */
function classifySharpError(message: string): PhotoError['reason'] {
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

/** Opens one photo file. Throws PhotoError (never anything else) for missing, unsupported or bad input. */
export async function openPhoto(path: string, options: OpenOptions = {}): Promise<OpenedPhoto> {
  const maxPixels = options.maxPixels ?? MAX_INPUT_PIXELS;
  await checkFile(path);
  try {
    if (RAW_EXTENSIONS.has(extname(path).toLowerCase())) return await openRaw(path, maxPixels);
    // failOn 'error': tolerate libjpeg warnings (slightly damaged files still show their faces), but refuse
    // files that cannot be decoded. `pages: 1` takes the first page of TIFF and the first frame of GIF/WebP.
    const fileOptions = { failOn: 'error', limitInputPixels: maxPixels, pages: 1 } as const;
    const meta = await sharp(path, fileOptions).metadata();
    if (meta.format === 'heif' && meta.compression === 'hevc') {
      // The header's size first: a hostile HEIC must not reach the decoder with a huge canvas.
      checkPixels(path, meta.width ?? 0, meta.height ?? 0, maxPixels);
      return await openHeic(path, meta.exif, maxPixels);
    }
    const format = sharpFormat(meta.format, meta.compression);
    if (!format) throw new PhotoError(path, 'unsupported', `format ${meta.format ?? 'unknown'} is not supported`);
    checkPixels(path, meta.width ?? 0, meta.height ?? 0, maxPixels);
    const swap = swapsAxes(meta.orientation);
    return {
      pixels: () => sharp(path, { ...fileOptions, sequentialRead: true }).autoOrient(),
      width: swap ? meta.height! : meta.width!,
      height: swap ? meta.width! : meta.height!,
      format,
      exif: meta.exif,
      fromFile: true,
    };
  } catch (error) {
    throw photoErrorOf(path, error);
  }
}

/** A PhotoError as it is, anything else (libvips's messages) mapped onto a reason. */
export function photoErrorOf(path: string, error: unknown): PhotoError {
  if (error instanceof PhotoError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PhotoError(path, classifySharpError(message), message.split('\n')[0]!);
}

function sharpFormat(format: string | undefined, compression: string | undefined): PhotoFormat | undefined {
  if (format === 'heif') return compression === 'av1' ? 'avif' : undefined;
  if (format === 'jpeg' || format === 'png' || format === 'webp' || format === 'tiff' || format === 'gif')
    return format;
  return undefined;
}

async function openHeic(path: string, exif: Buffer | undefined, maxPixels: number): Promise<OpenedPhoto> {
  const bytes = await readFile(path);
  // libheif applies the primary item's rotation and mirror; the EXIF orientation only when there are none.
  const orientation = heifPrimaryHasTransform(bytes) ? 1 : tiffOrientation(exif);
  let decoded;
  try {
    decoded = await heifDecoder().decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new PhotoError(path, 'corrupt', `HEIC: ${e instanceof Error ? e.message : String(e)}`);
  }
  checkPixels(path, decoded.width, decoded.height, maxPixels);
  const input = sharp(decoded.rgba, { raw: { width: decoded.width, height: decoded.height, channels: 4 } });
  return { ...(await materialise(input, orientation)), format: 'heic', exif };
}

async function openRaw(path: string, maxPixels: number): Promise<OpenedPhoto> {
  const bytes = await readFile(path);
  const preview = rawPreview(bytes);
  if (!preview) throw new PhotoError(path, 'unsupported', 'no full-size JPEG preview found in this RAW file');
  checkPixels(path, preview.width, preview.height, maxPixels);
  const jpeg = preview.jpeg;
  const input = sharp(jpeg, { failOn: 'error', limitInputPixels: maxPixels });
  const exif = preview.exif;
  if (preview.orientation === undefined) {
    // The RAW has no orientation of its own (RAF): the embedded JPEG's EXIF says it.
    const meta = await sharp(jpeg).metadata();
    return { ...(await materialise(input.autoOrient(), 1)), format: 'raw', exif: exif ?? meta.exif };
  }
  return { ...(await materialise(input, preview.orientation)), format: 'raw', exif };
}

/**
 * The EXIF block of a photo file without decoding its pixels (for the capture date): sharp's metadata, or for
 * a RAW file the container's own (or its preview's). Undefined when there is none or the file cannot be read.
 */
export async function readExif(path: string): Promise<Buffer | undefined> {
  try {
    if (RAW_EXTENSIONS.has(extname(path).toLowerCase())) {
      const preview = rawPreview(await readFile(path));
      if (!preview) return undefined;
      return preview.exif ?? (await sharp(preview.jpeg).metadata()).exif;
    }
    return (await sharp(path).metadata()).exif;
  } catch {
    return undefined;
  }
}

/** How a photo file's pixels are stored and turned for display: what XMP face regions are relative to. */
export interface PhotoLayout {
  /** Stored size (before orientation). */
  width: number;
  height: number;
  /** EXIF orientation (1-8) that turns the stored pixels into the displayed photo. */
  orientation: number;
  /** Embedded XMP packet, when the file has one the app can read. */
  xmp?: Buffer;
}

/**
 * The stored size and orientation of a photo file, from its headers where possible: sharp's metadata; a RAW's
 * preview (its size, the RAW's orientation or else the preview's own); a HEIC's EXIF orientation, or for a HEIC
 * whose rotation libheif applies itself, its displayed size with orientation 1 (decoded once to know it).
 */
export async function photoLayout(path: string): Promise<PhotoLayout> {
  if (RAW_EXTENSIONS.has(extname(path).toLowerCase())) {
    const preview = rawPreview(await readFile(path));
    if (!preview) throw new PhotoError(path, 'unsupported', 'no full-size JPEG preview found in this RAW file');
    const own = preview.orientation ?? (await sharp(preview.jpeg).metadata()).orientation;
    return { width: preview.width, height: preview.height, orientation: own ?? 1 };
  }
  const meta = await sharp(path).metadata();
  if (!meta.width || !meta.height) throw new PhotoError(path, 'corrupt', `cannot read the size of ${path}`);
  if (meta.format === 'heif' && meta.compression === 'hevc') {
    if (heifPrimaryHasTransform(await readFile(path))) {
      const opened = await openPhoto(path);
      return { width: opened.width, height: opened.height, orientation: 1, xmp: meta.xmp };
    }
    return { width: meta.width, height: meta.height, orientation: tiffOrientation(meta.exif) ?? 1, xmp: meta.xmp };
  }
  return { width: meta.width, height: meta.height, orientation: meta.orientation ?? 1, xmp: meta.xmp };
}
