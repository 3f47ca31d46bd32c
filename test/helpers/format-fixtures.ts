/**
 * Photos in other formats made at test time from real JPEGs with real encoders, never committed:
 * - HEIC: Debian's `heif-enc` (libheif-examples, x265), which keeps the JPEG's EXIF (orientation and dates);
 * - RAW-structured files: a small TIFF "sensor image" written by sharp, into which ExifTool embeds the JPEG
 *   as the full-size preview and writes the orientation and capture date, as cameras do. ExifTool writes a
 *   preview into DNG and CR2 structures (IFD0's JPEG strip) and ORF (IFD1's JPEG); the other TIFF-based RAW
 *   extensions get the DNG structure under their own name (their readers share the TIFF code path);
 * - the other formats sharp writes itself (PNG, WebP, AVIF, TIFF, GIF).
 * `toolMissing()` says which tool is absent so that tests skip with the reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';

/** The reason a test needing `tool` must skip, or null when it is on PATH. */
export function toolMissing(tool: 'heif-enc' | 'exiftool'): string | null {
  const probe = spawnSync(tool, tool === 'exiftool' ? ['-ver'] : ['-h'], { encoding: 'utf8' });
  if (probe.error) {
    const pkg = tool === 'heif-enc' ? 'libheif-examples' : 'libimage-exiftool-perl';
    return `${tool} is not installed (Debian: apt-get install ${pkg}; .ci/run installs it)`;
  }
  return null;
}

export interface FixtureTags {
  /** EXIF orientation to write (1-8). */
  orientation?: number;
  /** 'YYYY:MM:DD HH:MM:SS' */
  dateTimeOriginal?: string;
}

function exiftool(args: string[]): void {
  execFileSync('exiftool', ['-q', '-q', '-overwrite_original', ...args], { stdio: 'pipe' });
}

function tagArgs(tags: FixtureTags): string[] {
  const args: string[] = [];
  if (tags.orientation !== undefined) args.push(`-Orientation#=${tags.orientation}`);
  if (tags.dateTimeOriginal !== undefined) args.push(`-DateTimeOriginal=${tags.dateTimeOriginal}`);
  return args;
}

/** Copies a JPEG to `dest` with the given EXIF tags written by ExifTool (the reference a converted copy matches). */
export function taggedJpeg(src: string, dest: string, tags: FixtureTags = {}): string {
  copyFileSync(src, dest);
  const args = tagArgs(tags);
  if (args.length > 0) exiftool([...args, dest]);
  return dest;
}

/**
 * Encodes `jpeg` (its EXIF included) as HEIC with heif-enc: lossy at `quality` like a phone (heif-enc reads
 * the JPEG and keeps its EXIF), or `'lossless'`: the JPEG's stored pixels as decoded by sharp, in lossless
 * RGB HEVC (4:4:4, identity matrix), with the EXIF copied by ExifTool, so that a comparison with the JPEG
 * measures our decoding and orientation alone (heif-enc's own JPEG decoder and YCbCr rounding move a
 * detector's box by a pixel or three on their own).
 */
export async function heicFrom(jpeg: string, dest: string, quality: number | 'lossless' = 90): Promise<string> {
  if (quality !== 'lossless') {
    execFileSync('heif-enc', ['-q', String(quality), jpeg, '-o', dest], { stdio: 'pipe' });
    return dest;
  }
  const png = `${dest}.tmp.png`;
  await sharp(jpeg).png().toFile(png);
  execFileSync('heif-enc', ['-L', '-p', 'chroma=444', '--matrix_coefficients=0', png, '-o', dest], { stdio: 'pipe' });
  rmSync(png);
  exiftool(['-tagsFromFile', jpeg, '-EXIF:all', dest]);
  return dest;
}

const EXIFTOOL_PREVIEW: Record<string, { tag: string; jpegStrip: boolean }> = {
  '.dng': { tag: 'PreviewImage', jpegStrip: true },
  '.cr2': { tag: 'PreviewImage', jpegStrip: true },
  '.orf': { tag: 'ThumbnailImage', jpegStrip: false },
};

/**
 * A RAW-structured file at `dest` (its extension picks the structure) whose embedded full-size preview is the
 * JPEG `preview` (which should carry no orientation of its own), with the RAW's orientation and date in `tags`.
 */
export async function rawWithPreview(preview: string, dest: string, tags: FixtureTags = {}): Promise<string> {
  const ext = extname(dest).toLowerCase();
  const how = EXIFTOOL_PREVIEW[ext];
  const target = how ? dest : join(dest, '..', `${basename(dest, extname(dest))}.tmp.dng`);
  const structure = how ?? EXIFTOOL_PREVIEW['.dng']!;
  // The "sensor image": a small TIFF of the same scene (what ExifTool replaces or appends to).
  await sharp(preview)
    .resize(96)
    .tiff({ compression: structure.jpegStrip ? 'jpeg' : 'none' })
    .toFile(target);
  exiftool([...tagArgs(tags), `-${structure.tag}<=${preview}`, target]);
  if (target !== dest) renameSync(target, dest);
  return dest;
}

/** Writes `src` in another format sharp encodes (first page/frame formats included). */
export async function sharpCopy(src: string, dest: string): Promise<string> {
  const ext = extname(dest).toLowerCase();
  const img = sharp(src).autoOrient();
  if (ext === '.png') await img.png().toFile(dest);
  else if (ext === '.webp') await img.webp({ quality: 95 }).toFile(dest);
  else if (ext === '.avif') await img.avif({ quality: 80 }).toFile(dest);
  else if (ext === '.tif' || ext === '.tiff') await img.tiff({ compression: 'lzw' }).toFile(dest);
  else if (ext === '.gif') await img.gif().toFile(dest);
  else throw new Error(`sharpCopy: no encoder for ${ext}`);
  return dest;
}
