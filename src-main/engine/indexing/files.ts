/** Which files are photos and which folders the scanner never enters. */
import { basename, extname } from 'node:path';
import { VIDEO_EXTENSIONS } from '../../../src-shared/photo-formats.js';
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

/** A video file (by extension): listed as skipped, not indexed and not an error. */
export function isVideoFile(path: string): boolean {
  const name = basename(path);
  return !name.startsWith('.') && VIDEOS.has(extname(name).toLowerCase());
}

export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name.toLowerCase());
}
