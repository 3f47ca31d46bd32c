/**
 * Face thumbnails for the UI: the face box padded to a square, cut from the photo's displayed pixels (EXIF
 * orientation applied; boxes are in those pixels; HEIC and RAW decoded by the engine's `open`), resized to
 * `size` px, WebP. Cached on disk keyed by the photo's content hash + box + size, so identical requests hit
 * the cache and an edited photo gets new ones. Files are written to a temporary name and renamed
 * (writeCacheFile), so a crash never leaves a half-written thumbnail or preview.
 */
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { Box } from '../../../src-shared/geometry.js';

/** Displayed (oriented) pixels of a photo file: sharp's auto-orientation unless the engine passes its decoder. */
export interface OrientedSource {
  pixels: () => Sharp;
  width: number;
  height: number;
}

export type OpenOriented = (path: string) => Promise<OrientedSource>;

/** Files sharp decodes itself (JPEG, PNG, WebP, AVIF, TIFF, GIF). */
export const openWithSharp: OpenOriented = async (path) => {
  const meta = await sharp(path).metadata();
  return { pixels: () => sharp(path).autoOrient(), width: meta.autoOrient.width, height: meta.autoOrient.height };
};

export interface ThumbnailOptions {
  /** Output side in pixels (default 160). */
  size?: number;
  /** Padding on each side as a fraction of the box's larger side (default 0.25). */
  padding?: number;
  /** How photo files are opened (default: sharp; the library passes the engine's decoder for HEIC and RAW). */
  open?: OpenOriented;
}

export interface Thumbnail {
  path: string;
  /** true when it came from the cache. */
  cached: boolean;
}

/** The square crop (clamped to the image) for a padded face box. */
export function paddedSquare(box: Box, imageWidth: number, imageHeight: number, padding: number): Box {
  const side0 = Math.max(box.width, box.height) * (1 + 2 * padding);
  const side = Math.max(1, Math.min(Math.round(side0), imageWidth, imageHeight));
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const x = Math.min(Math.max(0, Math.round(cx - side / 2)), imageWidth - side);
  const y = Math.min(Math.max(0, Math.round(cy - side / 2)), imageHeight - side);
  return { x, y, width: side, height: side };
}

export class FaceThumbnails {
  private readonly size: number;
  private readonly padding: number;
  private readonly open: OpenOriented;
  private readonly inFlight = new Map<string, Promise<Thumbnail>>();

  constructor(
    readonly cacheDir: string,
    options: ThumbnailOptions = {},
  ) {
    this.size = options.size ?? 160;
    this.padding = options.padding ?? 0.25;
    this.open = options.open ?? openWithSharp;
  }

  keyFor(contentHash: string, box: Box): string {
    const r = (v: number): number => Math.round(v);
    return `${contentHash}-${r(box.x)}-${r(box.y)}-${r(box.width)}-${r(box.height)}-${this.size}`;
  }

  pathFor(contentHash: string, box: Box): string {
    return join(this.cacheDir, 'faces', contentHash.slice(0, 2), `${this.keyFor(contentHash, box)}.webp`);
  }

  async get(photoPath: string, contentHash: string, box: Box): Promise<Thumbnail> {
    const out = this.pathFor(contentHash, box);
    const pending = this.inFlight.get(out);
    if (pending) return pending;
    const job = this.make(photoPath, out, box).finally(() => this.inFlight.delete(out));
    this.inFlight.set(out, job);
    return job;
  }

  private async make(photoPath: string, out: string, box: Box): Promise<Thumbnail> {
    if (
      await stat(out).then(
        (s) => s.size > 0,
        () => false,
      )
    )
      return { path: out, cached: true };
    const source = await this.open(photoPath);
    const crop = paddedSquare(box, source.width, source.height, this.padding);
    const webp = await source
      .pixels()
      .extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height })
      .resize(this.size, this.size, { fit: 'cover' })
      .webp({ quality: 82 })
      .toBuffer();
    await writeCacheFile(out, webp);
    return { path: out, cached: false };
  }
}

/** Writes a cache file whole or not at all: to a temporary name in its folder (made if needed), then renamed. */
export async function writeCacheFile(out: string, bytes: Buffer): Promise<void> {
  await mkdir(join(out, '..'), { recursive: true });
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, out);
}
