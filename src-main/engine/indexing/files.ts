/** Which files are photos and which folders the scanner never enters. */
import { basename, extname } from 'node:path';
import { UNREADABLE_PHOTO_EXTENSIONS, VIDEO_EXTENSIONS } from '../../../src-shared/photo-formats.js';
import { RAW_EXTENSIONS } from '../vision/formats/raw-preview.js';

export const PHOTO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.tif',
  '.tiff',
  '.avif',
  '.gif',
  // HEVC-coded HEIF is decoded by libheif in WebAssembly (vision/formats/heif.ts); AVIF-coded by sharp.
  '.heic',
  '.heif',
  '.hif',
  // RAW: the embedded full-size JPEG preview (vision/formats/raw-preview.ts).
  ...RAW_EXTENSIONS,
]);

/** System, trash and tool folders (besides every name starting with '.'). Compared case-insensitively. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(
  [
    '@eaDir',
    '#recycle',
    '#snapshot',
    '$RECYCLE.BIN',
    'System Volume Information',
    'node_modules',
    'lost+found',
    '__MACOSX',
    'Thumbs',
  ].map((s) => s.toLowerCase()),
);

export function isPhotoFile(path: string): boolean {
  const name = basename(path);
  return !name.startsWith('.') && PHOTO_EXTENSIONS.has(extname(name).toLowerCase());
}

const VIDEOS: ReadonlySet<string> = new Set(VIDEO_EXTENSIONS);
const UNREADABLE: ReadonlySet<string> = new Set(UNREADABLE_PHOTO_EXTENSIONS);

/**
 * Why a file that is not indexed is still worth reporting: a video, or a photo in a format this version cannot
 * read (JPEG XL). Such files are listed as skipped, never indexed and never errors; undefined for other files.
 */
export function skipReasonOf(path: string): 'video' | 'jpeg-xl' | undefined {
  const name = basename(path);
  if (name.startsWith('.')) return undefined;
  const ext = extname(name).toLowerCase();
  if (VIDEOS.has(ext)) return 'video';
  if (UNREADABLE.has(ext)) return 'jpeg-xl';
  return undefined;
}

export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name.toLowerCase());
}
