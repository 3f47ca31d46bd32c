/**
 * The photo formats the app reads, by file extension, and what it skips on purpose, in plain words for the
 * status (CLI and Library view). Pure data and string functions, shared by the engine and the UI.
 */
import { plural } from './words.js';

/** RAW extensions (lower case, with the dot) read through their embedded full-size JPEG. */
export const RAW_EXTENSIONS: readonly string[] = [
  '.cr2',
  '.cr3',
  '.nef',
  '.nrw',
  '.arw',
  '.srf',
  '.sr2',
  '.dng',
  '.raf',
  '.orf',
  '.rw2',
  '.pef',
  '.srw',
];

/** Video extensions: listed as skipped (not photos), never as errors. */
export const VIDEO_EXTENSIONS: readonly string[] = [
  '.mp4',
  '.mov',
  '.m4v',
  '.avi',
  '.mkv',
  '.webm',
  '.wmv',
  '.3gp',
  '.mts',
  '.m2ts',
  '.mpg',
  '.mpeg',
];

/** Photo formats this version cannot read: listed as skipped with the reason. */
export const UNREADABLE_PHOTO_EXTENSIONS: readonly string[] = ['.jxl'];

/** Extensions of the camera's own picture that, next to a RAW of the same name, stand for that RAW. */
export const RAW_COMPANION_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.heic', '.heif', '.hif'];

/** The label a format is counted under, by extension. */
const LABELS: Record<string, string> = {
  '.jpg': 'JPEG',
  '.jpeg': 'JPEG',
  '.png': 'PNG',
  '.webp': 'WebP',
  '.avif': 'AVIF',
  '.heic': 'HEIC',
  '.heif': 'HEIC',
  '.hif': 'HEIC',
  '.tif': 'TIFF',
  '.tiff': 'TIFF',
  '.gif': 'GIF',
  ...Object.fromEntries(RAW_EXTENSIONS.map((e) => [e, 'RAW'])),
};

/** The lower-case extension of a path or file name, with the dot ('' when none). */
export function extensionOf(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** 'JPEG', 'HEIC', 'RAW', … for a photo path; 'other' for an extension the table does not know. */
export function formatLabel(path: string): string {
  return LABELS[extensionOf(path)] ?? 'other';
}

/** Why files in the library folders were not indexed, on purpose (not errors). */
export type SkipReason = 'video' | 'raw-with-jpeg' | 'jpeg-xl';

export interface SkippedFiles {
  reason: SkipReason;
  files: number;
  /** A few of them (full paths), for the user to recognise. */
  examples: string[];
}

/** One sentence per reason: "3 videos: not photos, skipped". */
export function describeSkipped(s: SkippedFiles): string {
  const n = s.files;
  if (s.reason === 'video') return `${plural(n, 'video')}: not photos, skipped`;
  if (s.reason === 'jpeg-xl') return `${plural(n, 'JPEG XL photo')}: this version cannot read JPEG XL, skipped`;
  return `${plural(n, 'RAW file')} with a JPEG or HEIC of the same name: the JPEG or HEIC is indexed for people, the RAW is skipped`;
}
