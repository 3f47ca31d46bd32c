/**
 * Test photos made on the fly: small JPEGs whose *displayed* image (after EXIF orientation) shows coloured
 * blocks at known boxes, for all eight orientations. sharp's auto-orient (libvips) is the independent judge
 * of what "displayed" means; see the fixture self-check in xmp-exiftool.test.ts.
 */
import { execFile, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Box } from '../../src-shared/geometry.js';
import { storedToDisplayed, swapsAxes, type Orientation } from '../../src-main/engine/interop/orientation.js';

export const ORIENTATIONS: Orientation[] = [1, 2, 3, 4, 5, 6, 7, 8];
export const COLOURS: [number, number, number][] = [
  [230, 20, 20],
  [20, 20, 230],
  [20, 200, 20],
];

/** Displayed size of every fixture; not square, so a missed axis swap shows. Multiples of 16 keep JPEG blocks clean. */
export const DISPLAYED = { width: 160, height: 112 };

export interface Fixture {
  path: string;
  orientation: Orientation;
  stored: { width: number; height: number };
  /** Blocks in displayed pixels, COLOURS[i] for boxes[i]. */
  boxes: Box[];
}

/** Writes a JPEG with orientation tag `orientation` whose displayed image has `boxes` painted in COLOURS. */
export async function makeOrientedJpeg(path: string, orientation: Orientation, boxes: Box[]): Promise<Fixture> {
  const dw = DISPLAYED.width;
  const dh = DISPLAYED.height;
  const sw = swapsAxes(orientation) ? dh : dw;
  const sh = swapsAxes(orientation) ? dw : dh;
  const raw = Buffer.alloc(sw * sh * 3, 235);
  for (let sy = 0; sy < sh; sy++) {
    for (let sx = 0; sx < sw; sx++) {
      const p = storedToDisplayed({ x: (sx + 0.5) / sw, y: (sy + 0.5) / sh, w: 0, h: 0 }, orientation);
      const dx = p.x * dw;
      const dy = p.y * dh;
      const i = boxes.findIndex((b) => dx >= b.x && dx < b.x + b.width && dy >= b.y && dy < b.y + b.height);
      if (i >= 0) COLOURS[i]!.forEach((c, k) => (raw[(sy * sw + sx) * 3 + k] = c));
    }
  }
  await sharp(raw, { raw: { width: sw, height: sh, channels: 3 } })
    .jpeg({ quality: 95 })
    .withMetadata({ orientation })
    .toFile(path);
  return { path, orientation, stored: { width: sw, height: sh }, boxes };
}

/** Bounding box of the pixels close to `colour`, in the image as decoded (auto-oriented or stored). */
export async function findColour(path: string, colour: [number, number, number], autoOrient: boolean): Promise<Box> {
  const img = autoOrient ? sharp(path).rotate() : sharp(path);
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const o = (y * info.width + x) * 3;
      const d =
        Math.abs(data[o]! - colour[0]) + Math.abs(data[o + 1]! - colour[1]) + Math.abs(data[o + 2]! - colour[2]);
      if (d < 120) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
    }
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

const run = promisify(execFile);

/** Why ExifTool-based checks skip when it is absent (.ci/run installs it). */
export const NO_EXIFTOOL = 'skipping: exiftool is not on PATH (Debian: apt-get install libimage-exiftool-perl)';

/**
 * Whether ExifTool, the independent XMP reader/writer the export tests check against, is on PATH. Tests that
 * need it skip when it is absent (logged once here); our own XMP code is still tested without it.
 */
export const HAS_EXIFTOOL = ((): boolean => {
  const ok = spawnSync('exiftool', ['-ver'], { encoding: 'utf8' }).status === 0;
  if (!ok) console.warn(NO_EXIFTOOL);
  return ok;
})();

/** One ExifTool process for many files: `-json -struct -n` plus the given tags. */
export async function exiftoolJson(files: string[], tags: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await run('exiftool', ['-json', '-struct', '-n', '-charset', 'utf8', ...tags, ...files], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Record<string, unknown>[];
}

/** Runs several ExifTool commands in one process via an argument file and -execute. */
export async function exiftoolBatch(dir: string, commands: string[][]): Promise<void> {
  const argfile = join(dir, `args-${Date.now()}-${Math.random().toString(16).slice(2)}.txt`);
  const lines = commands.flatMap((c) => [...c, '-execute']);
  await writeFile(argfile, lines.join('\n') + '\n', 'utf8');
  await run('exiftool', ['-charset', 'utf8', '-@', argfile], { maxBuffer: 64 * 1024 * 1024 });
}

/** Every numeric field of `actual` equals `expected` to `digits` decimals (floating-point maths inside). */
export function near<T extends object>(actual: T, expected: T, digits = 9): boolean {
  return Object.entries(expected).every(([k, v]) => {
    const a = (actual as Record<string, unknown>)[k];
    return typeof v === 'number' && typeof a === 'number' && Math.abs(a - v) < 10 ** -digits;
  });
}
