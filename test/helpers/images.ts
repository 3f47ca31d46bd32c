/**
 * Generates small test photos for the indexer: a grey background (its level varies with `seed`, so different
 * seeds give different bytes) and a red square "face" in each requested grid cell, whose blue level encodes
 * an identity (see test-pipeline.ts).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { GRID } from './test-pipeline.js';

export interface DrawnFace {
  /** Grid cell index 0..GRID*GRID-1, row-major. */
  cell: number;
  /** 0..7 */
  identity: number;
}

export interface PhotoSpec {
  faces?: DrawnFace[];
  seed?: number;
  size?: number;
  format?: 'jpeg' | 'png' | 'webp';
  /** EXIF DateTimeOriginal, 'YYYY:MM:DD HH:MM:SS'. */
  takenAt?: string;
  /** EXIF orientation tag 1..8 written into the file (pixels are stored as drawn). */
  orientation?: number;
}

export async function makePhoto(path: string, spec: PhotoSpec = {}): Promise<void> {
  const size = spec.size ?? 64;
  const seed = spec.seed ?? 0;
  const data = Buffer.alloc(size * size * 3);
  const bg = 40 + (seed % 60);
  for (let i = 0; i < size * size; i++) {
    data[i * 3] = bg;
    data[i * 3 + 1] = bg + ((seed >> 6) % 40);
    data[i * 3 + 2] = bg;
  }
  const cell = Math.floor(size / GRID);
  for (const f of spec.faces ?? []) {
    const gx = f.cell % GRID;
    const gy = Math.floor(f.cell / GRID);
    for (let y = gy * cell; y < (gy + 1) * cell; y++) {
      for (let x = gx * cell; x < (gx + 1) * cell; x++) {
        const o = (y * size + x) * 3;
        data[o] = 220;
        data[o + 1] = 40;
        data[o + 2] = f.identity * 32 + 16;
      }
    }
  }
  await mkdir(dirname(path), { recursive: true });
  let img = sharp(data, { raw: { width: size, height: size, channels: 3 } });
  const format = spec.format ?? (path.endsWith('.png') ? 'png' : path.endsWith('.webp') ? 'webp' : 'jpeg');
  img = format === 'png' ? img.png() : format === 'webp' ? img.webp({ lossless: true }) : img.jpeg({ quality: 95 });
  if (spec.orientation) img = img.withMetadata({ orientation: spec.orientation });
  if (spec.takenAt) img = img.withExifMerge({ IFD2: { DateTimeOriginal: spec.takenAt } });
  await img.toFile(path);
}
