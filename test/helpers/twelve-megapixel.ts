/**
 * The benchmarks' 12-megapixel photos: the annotated group photos of ../shared/faces/_group upscaled to 4000 px
 * on the long side (lanczos3, JPEG quality 90), written into a folder the caller owns. Generated, never
 * committed (the shared photos' licence allows research use, not redistribution).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { SHARED_DIR } from './shared.js';

export const GROUP_PHOTOS_DIR = join(SHARED_DIR, 'faces', '_group');
export const TWELVE_MP_LONG_SIDE = 4000;

/** The group photos' file names, sorted. */
export function groupPhotoNames(): string[] {
  return readdirSync(GROUP_PHOTOS_DIR)
    .filter((f) => f.endsWith('.jpg'))
    .sort();
}

/** Writes `count` 12 MP photos into `dir` (cycling through the group photos); returns their paths in order. */
export async function writeTwelveMegapixelPhotos(dir: string, count = groupPhotoNames().length): Promise<string[]> {
  const sources = groupPhotoNames();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length]!;
    const path = join(dir, `${i}-${source}`);
    await sharp(join(GROUP_PHOTOS_DIR, source))
      .resize(TWELVE_MP_LONG_SIDE, TWELVE_MP_LONG_SIDE, { fit: 'inside', kernel: 'lanczos3' })
      .jpeg({ quality: 90 })
      .toFile(path);
    out.push(path);
  }
  return out;
}
