/**
 * File and folder names that are safe on every file system we may export to (ext4, APFS, NTFS, exFAT, SMB):
 * no separators or path traversal, no characters Windows forbids, no reserved device names, no trailing dots
 * or spaces (Windows strips them, so two names could collide), bounded length in UTF-8 bytes (255 is the
 * usual limit per component). Letters from every script are kept, composed to NFC so macOS and Linux agree.
 */

/** Leaves room under 255 bytes for " (9999)" and an extension. */
export const DEFAULT_MAX_BYTES = 200;

const RESERVED = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  'CONIN$',
  'CONOUT$',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, '¹', '²', '³'].flatMap((n) => [`COM${n}`, `LPT${n}`]),
]);

// Windows-forbidden characters, C0/C1 controls, and Unicode separators that break line-based tools.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// Bidi embedding/override/isolate controls reorder what a file browser shows ("Trojan Source"): dropped.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const encoder = new TextEncoder();

export function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

/** Cuts to at most `maxBytes` of UTF-8 without splitting a character or a grapheme (emoji, accents). */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (utf8Length(s) <= maxBytes) return s;
  let out = '';
  let bytes = 0;
  for (const { segment } of segmenter.segment(s)) {
    const n = utf8Length(segment);
    if (bytes + n > maxBytes) break;
    out += segment;
    bytes += n;
  }
  return out;
}

function stripEnds(s: string): string {
  // Trailing dots/spaces vanish on Windows; leading dots hide files on Unix and "." / ".." are traversal.
  return s.replace(/[. ]+$/u, '').replace(/^[\s.]+/u, '');
}

/**
 * Makes any text (a person's name, a photo's file name) safe as one path component.
 * Never returns '', '.', '..', a reserved device name, or anything containing a separator.
 */
export function safeName(text: string, options: { maxBytes?: number; fallback?: string } = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let s = text.normalize('NFC').replace(BIDI, '').replace(FORBIDDEN, '_').replace(/\s+/gu, ' ');
  s = stripEnds(s.trim());
  s = stripEnds(truncateUtf8(s, maxBytes));
  if (s === '') s = options.fallback ?? 'Unnamed';
  const stem = s.split('.')[0]!.trim().toUpperCase();
  if (RESERVED.has(stem)) s = truncateUtf8(`_${s}`, maxBytes);
  return s;
}

/**
 * Like safeName for a file name, but a long name loses characters from its stem, never its extension
 * (a photo must keep ".jpg" to open). Extensions longer than 16 bytes are treated as part of the stem.
 */
export function safeFileName(fileName: string, options: { maxBytes?: number; fallback?: string } = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const { stem, ext } = splitExtension(fileName.normalize('NFC'));
  const cleanExt = ext
    .replace(BIDI, '')
    .replace(FORBIDDEN, '_')
    .replace(/[. ]+$/u, '');
  if (cleanExt.length <= 1 || utf8Length(cleanExt) > 16) return safeName(fileName, options);
  return (
    safeName(stem, { maxBytes: maxBytes - utf8Length(cleanExt), fallback: options.fallback ?? 'photo' }) + cleanExt
  );
}

/** Splits "name.ext" into stem and extension (with its dot); dotfiles and extension-less names have ext ''. */
export function splitExtension(fileName: string): { stem: string; ext: string } {
  const i = fileName.lastIndexOf('.');
  if (i <= 0) return { stem: fileName, ext: '' };
  return { stem: fileName.slice(0, i), ext: fileName.slice(i) };
}

/** Key for "same name" on case-insensitive file systems (NTFS, APFS and HFS+ by default). */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * The first of `name`, `name (2)`, `name (3)`, ... (suffix before the extension) whose key is not in
 * `taken`; adds it to `taken`. `name` must already be safe; the suffix keeps it within `maxBytes`.
 */
export function uniqueName(name: string, taken: Set<string>, maxBytes = DEFAULT_MAX_BYTES + 40): string {
  if (!taken.has(nameKey(name))) {
    taken.add(nameKey(name));
    return name;
  }
  const { stem, ext } = splitExtension(name);
  for (let n = 2; ; n++) {
    const suffix = ` (${n})${ext}`;
    const candidate = stripEnds(truncateUtf8(stem, maxBytes - utf8Length(suffix))) + suffix;
    if (!taken.has(nameKey(candidate))) {
      taken.add(nameKey(candidate));
      return candidate;
    }
  }
}
