/**
 * Photo decoding to RGB for the face pipeline: any supported format (formats/open.ts: sharp, HEIC through
 * libheif, RAW through its embedded preview), EXIF orientation applied, shrink-on-load, and typed errors.
 *
 * Every path that can fail maps to a PhotoError with a reason the indexer records; nothing here throws
 * anything else for bad input.
 */
import sharp, { type Sharp } from 'sharp';
import type { Box, Point } from '../../../src-shared/geometry.js';
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

/**
 * Pixels of (part of) a photo at some resolution: photo point (x, y) is at image pixel
 * (x * scale - left, y * scale - top). Whole images have left = top = 0.
 */
export interface ScaledImage {
  image: RgbImage;
  /** Image pixels per full-resolution photo pixel. */
  scale: number;
  left: number;
  top: number;
}

/** What a stage reads around one face: at least `scale`, covering `area` (photo pixels). */
export interface PixelRequest {
  scale: number;
  area: Box;
}

/**
 * One photo's pixels at the resolutions the pipeline's stages ask for, each decoded once. Coordinates
 * everywhere are full-resolution oriented photo pixels; a stage maps them into the image it got (boxIn).
 */
export interface PhotoPixels {
  /** Full-resolution oriented size. */
  readonly width: number;
  readonly height: number;
  /** The finest scale there is (1 unless the photo is larger than MAX_DECODE_SIDE). */
  readonly maxScale: number;
  /**
   * The whole photo with at least `scale` (or maxScale, when less): the coarsest already decoded one that has
   * it, else a new decode at the coarsest resolution that has it. Throws PhotoError when it cannot be decoded.
   */
  at(scale: number): Promise<ScaledImage>;
  /**
   * One image per request: an already decoded whole image that is fine enough, else (all such requests
   * together) the finest pixels of the smallest region covering their areas.
   */
  read(requests: readonly PixelRequest[]): Promise<ScaledImage[]>;
}

/** A box (photo pixels) in the pixels of `s`. */
export function boxIn(s: ScaledImage, b: Box): Box {
  return { x: b.x * s.scale - s.left, y: b.y * s.scale - s.top, width: b.width * s.scale, height: b.height * s.scale };
}

/** A point of `s`'s pixels in photo pixels. */
export function pointFrom(s: ScaledImage, p: Point): Point {
  return { x: (p.x + s.left) / s.scale, y: (p.y + s.top) / s.scale };
}

/** An opened photo file: its pixels, decoded on demand, and what the indexer records about it. */
export interface OpenedPixels {
  pixels: PhotoPixels;
  width: number;
  height: number;
  format: PhotoFormat;
  exif?: Buffer;
}

/**
 * libjpeg's shrink-on-load factors (it decodes straight to 1/2, 1/4 or 1/8 in the DCT domain). On a 12 MP
 * JPEG, 1/4 decoded in about a fifth of the time of the full decode (`npx tsx test/bench/stages.bench.ts`).
 */
const JPEG_SHRINKS = [8, 4, 2];

/**
 * Regions start on multiples of this many pixels, so that warpChip's box-averaging (in cells of up to 64
 * pixels, aligned to the image's origin) sees the same cells in a region as in the whole photo.
 */
const REGION_GRID = 64;

/**
 * Largest region (fraction of the photo) read on its own; beyond it the whole photo is decoded, at the
 * coarsest shrink the requests allow (whole decodes serve every later request that they are fine enough for).
 */
const MAX_REGION_FRACTION = 0.25;

/** JPEGs smaller than this are decoded whole: partial decodes would save little. */
export const MIN_PARTIAL_DECODE_PIXELS = 2_000_000;

/** An already decoded image as PhotoPixels: every stage reads it as it is. */
export function fixedPixels(image: RgbImage): PhotoPixels {
  const whole = { image, scale: 1, left: 0, top: 0 };
  return {
    width: image.width,
    height: image.height,
    maxScale: 1,
    at: () => Promise.resolve(whole),
    read: (requests) => Promise.resolve(requests.map(() => whole)),
  };
}

/**
 * Opens one photo file; its pixels are decoded when first asked for. Throws PhotoError (never anything else)
 * for missing, unsupported or bad input, here or from `pixels.at` and `pixels.read`.
 */
export async function openPixels(path: string, options: DecodeOptions = {}): Promise<OpenedPixels> {
  const maxSide = options.maxSide ?? MAX_DECODE_SIDE;
  const opened = await openPhoto(path, options.maxPixels === undefined ? {} : { maxPixels: options.maxPixels });
  const { width, height } = opened;
  const maxScale = Math.min(1, maxSide / Math.max(width, height));
  // Shrink-on-load and regions only where the file is read as a JPEG; other formats decode once, in full, and
  // so do small JPEGs (a few ms; their faces then come out exactly like a HEIC or RAW copy's).
  const jpeg = opened.fromFile && opened.format === 'jpeg' && width * height >= MIN_PARTIAL_DECODE_PIXELS;
  const shrinks = jpeg ? JPEG_SHRINKS : [];
  const decoded = new Map<number, Promise<ScaledImage>>();
  const done: ScaledImage[] = [];

  const toRgb = async (pipeline: Sharp, left: number, top: number): Promise<ScaledImage> => {
    try {
      const { data, info } = await pipeline
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== 3) throw new PhotoError(path, 'unsupported', `${info.channels} channels after conversion`);
      const image = {
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        width: info.width,
        height: info.height,
      };
      return { image, scale: left === 0 && top === 0 ? info.width / width : 1, left, top };
    } catch (error) {
      throw photoErrorOf(path, error);
    }
  };

  const decode = async (shrink: number): Promise<ScaledImage> => {
    const input = opened.pixels();
    // fastShrinkOnLoad lets libjpeg decode directly at 1/2, 1/4 or 1/8 of the stored size.
    const pipeline =
      shrink > 1
        ? input.resize(Math.ceil(width / shrink), Math.ceil(height / shrink), { fit: 'fill', fastShrinkOnLoad: true })
        : maxScale < 1
          ? input.resize(maxSide, maxSide, { fit: 'inside', fastShrinkOnLoad: true })
          : input;
    const scaled = await toRgb(pipeline, 0, 0);
    done.push(scaled);
    return scaled;
  };

  const at = (scale: number): Promise<ScaledImage> => {
    const wanted = Math.min(scale, maxScale) * (1 - 1e-9);
    const have = coarsestDone(scale);
    if (have) return Promise.resolve(have);
    const shrink = shrinks.find((f) => 1 / f >= wanted && 1 / f <= maxScale) ?? 1;
    let pending = decoded.get(shrink);
    if (!pending) {
      pending = decode(shrink);
      decoded.set(shrink, pending);
    }
    return pending;
  };

  const coarsestDone = (scale: number): ScaledImage | undefined => {
    const wanted = Math.min(scale, maxScale) * (1 - 1e-9);
    return done.filter((d) => d.scale >= wanted).sort((a, b) => a.scale - b.scale)[0];
  };

  /** Full-resolution regions read so far (regionFor). */
  const regions: ScaledImage[] = [];
  const covers = (r: ScaledImage, a: Box): boolean =>
    (a.x >= r.left || r.left === 0) &&
    (a.y >= r.top || r.top === 0) &&
    (a.x + a.width <= r.left + r.image.width || r.left + r.image.width === width) &&
    (a.y + a.height <= r.top + r.image.height || r.top + r.image.height === height);
  /** The image that serves one request without decoding anything: a fine enough whole image, or a region. */
  const served = (r: PixelRequest): ScaledImage | undefined =>
    coarsestDone(r.scale) ?? regions.find((g) => covers(g, r.area));

  /**
   * Full-resolution pixels of the smallest REGION_GRID-aligned rectangle covering `areas`: libjpeg still
   * reads the rows above it, but skips converting and copying everything else (a 300 px square measured
   * 8 ms at the top of a 12 MP JPEG and 32 ms at its bottom, the whole photo 170 ms). Undefined when the
   * rectangle is more than MAX_REGION_FRACTION of the photo (a whole decode is then about as cheap).
   */
  const regionFor = async (requested: Box[]): Promise<ScaledImage | undefined> => {
    // Half as large again around each area, so that the next stage's areas (the landmark crop after the
    // confirmation window, the aligned chip after the landmark crop) are mostly inside it already.
    const areas = requested.map((a) => ({
      x: a.x - a.width / 4,
      y: a.y - a.height / 4,
      width: a.width * 1.5,
      height: a.height * 1.5,
    }));
    const x0 = Math.min(...areas.map((a) => a.x));
    const y0 = Math.min(...areas.map((a) => a.y));
    const x1 = Math.max(...areas.map((a) => a.x + a.width));
    const y1 = Math.max(...areas.map((a) => a.y + a.height));
    const left = Math.min(width - 1, Math.max(0, Math.floor(x0 / REGION_GRID) * REGION_GRID));
    const top = Math.min(height - 1, Math.max(0, Math.floor(y0 / REGION_GRID) * REGION_GRID));
    const right = Math.max(left + 1, Math.min(width, Math.ceil(x1)));
    const bottom = Math.max(top + 1, Math.min(height, Math.ceil(y1)));
    if ((right - left) * (bottom - top) > MAX_REGION_FRACTION * width * height) return undefined;
    const extract = { left, top, width: right - left, height: bottom - top };
    const region = await toRgb(opened.pixels().extract(extract), left, top);
    regions.push(region);
    return region;
  };

  const pixels: PhotoPixels = {
    width,
    height,
    maxScale,
    at,
    async read(requests) {
      const missing = requests.filter((r) => !served(r));
      if (missing.length > 0) {
        // Regions need the photo's own pixels (no maxSide shrink) and random access (a JPEG file).
        const region = jpeg && maxScale === 1 ? await regionFor(missing.map((r) => r.area)) : undefined;
        if (!region) await at(Math.max(...missing.map((r) => r.scale)));
      }
      return requests.map((r) => served(r)!);
    },
  };
  return { pixels, width, height, format: opened.format, exif: opened.exif };
}

/** Decodes one photo file at full resolution (up to maxSide). Throws PhotoError (never anything else) for bad input. */
export async function decodePhoto(path: string, options: DecodeOptions = {}): Promise<DecodedPhoto> {
  const { pixels, width, height, format, exif } = await openPixels(path, options);
  const { image, scale } = await pixels.at(1);
  return { image, width, height, scale, format, exif };
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
