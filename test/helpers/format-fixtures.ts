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
import { copyFileSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { cr3File, rafFile } from './raw-containers.js';

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

/** The inverse of each orientation's turn, in degrees clockwise (5-8 mirrored ones are not used here). */
const UNDO_TURN: Record<number, number> = { 1: 0, 3: 180, 6: 270, 8: 90 };

/**
 * A JPEG at `dest` whose stored pixels are `src` turned back by `orientation` (1, 3, 6 or 8), with that
 * orientation tag: it displays upright, as a camera held sideways writes it.
 */
export async function uprightJpeg(src: string, dest: string, orientation: number): Promise<string> {
  await sharp(src)
    .rotate(UNDO_TURN[orientation] ?? 0)
    .jpeg({ quality: 95 })
    .toFile(dest);
  return taggedJpeg(dest, dest, { orientation });
}

/** One photo per supported format in `dir`, made from the JPEGs `sources` (used in turn); returns the paths. */
export async function everyFormatFolder(dir: string, sources: string[]): Promise<Record<string, string>> {
  const src = (i: number): string => sources[i % sources.length]!;
  const at = (name: string): string => join(dir, name);
  const files: Record<string, string> = {};
  files.JPEG = taggedJpeg(src(0), at('jpeg.jpg'));
  files.PNG = await sharpCopy(src(1), at('png.png'));
  files.WebP = await sharpCopy(src(2), at('webp.webp'));
  files.AVIF = await sharpCopy(src(3), at('avif.avif'));
  files.TIFF = await sharpCopy(src(4), at('tiff.tif'));
  files.GIF = await sharpCopy(src(5), at('gif.gif'));
  // Photos taken with the camera turned display upright through their orientation tag, in every container.
  const turned = async (i: number, orientation: number): Promise<string> =>
    uprightJpeg(src(i), at(`turned-${i}.tmp.jpg`), orientation);
  const stored = async (i: number, orientation: number): Promise<Buffer> => {
    const jpeg = await turned(i, orientation);
    // The stored pixels alone (the container, not the JPEG, says the orientation).
    const pixels = await sharp(jpeg).jpeg({ quality: 95 }).toBuffer();
    rmSync(jpeg);
    return pixels;
  };
  // A phone's HEIC: lossy, turned a quarter by its EXIF orientation.
  const heicSource = await turned(6, 6);
  files.HEIC = await heicFrom(heicSource, at('heic.heic'));
  rmSync(heicSource);
  writeFileSync(at('dng.tmp.jpg'), await stored(7, 8));
  files['RAW (DNG)'] = await rawWithPreview(at('dng.tmp.jpg'), at('dng.dng'), { orientation: 8 });
  rmSync(at('dng.tmp.jpg'));
  files['RAW (NEF)'] = await rawWithPreview(src(8), at('nef.nef'), { orientation: 1 });
  // CR3 and RAF containers around real JPEGs: CR3's orientation in its CMT1, RAF's in the JPEG's own EXIF.
  const exifOf = async (orientation: number): Promise<Buffer> =>
    (await sharp(await sharp(src(9)).jpeg().withMetadata({ orientation }).toBuffer()).metadata()).exif!;
  writeFileSync(at('cr3.cr3'), cr3File(await stored(9, 3), await exifOf(3), await exifOf(1)));
  files['RAW (CR3)'] = at('cr3.cr3');
  const rafSource = await turned(10, 6);
  writeFileSync(at('raf.raf'), rafFile(readFileSync(rafSource)));
  rmSync(rafSource);
  files['RAW (RAF)'] = at('raf.raf');
  return files;
}
