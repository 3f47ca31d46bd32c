/** Which files are photos and which folders the scanner never enters. */
import { basename, extname } from 'node:path';

export const PHOTO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.tif',
  '.tiff',
  '.avif',
  '.gif',
  // Decoded only where the installed libvips has a HEVC decoder; otherwise the photo is listed as 'unsupported'.
  '.heic',
  '.heif',
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

export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name.toLowerCase());
}
