/**
 * Recursive folder walk. Skips hidden and system folders; follows symbolic links but visits each real folder
 * and each real file once (so link loops end and a linked photo is not indexed twice).
 *
 * Names are read as bytes. On Linux a name can be any bytes; one that is not valid UTF-8 has no exact string
 * form (Node shows it with U+FFFD), and the rest of the app works with string paths, so such a photo file or
 * folder is not indexed (nor entered) but reported through `onBadName`, for the user to rename.
 */
import { isUtf8 } from 'node:buffer';
import type { Dirent } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { isPhotoFile, isSkippedFolder, skipReasonOf } from './files.js';

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** A photo file or a folder whose name is not valid UTF-8: `path` is its lossy form (U+FFFD for the bad bytes). */
export interface BadName extends FoundFile {
  kind: 'file' | 'folder';
}

export interface WalkOptions {
  /** Real paths already visited (shared across several roots so nested or linked roots are walked once). */
  seen?: Set<string>;
  onError?: (path: string, error: unknown) => void;
  /** A photo file (by extension) or a folder (not hidden or system) whose name is not valid UTF-8. */
  onBadName?: (found: BadName) => void;
  /** A video or a photo in a format the app cannot read (by extension): reported for the status's "skipped". */
  onSkipped?: (path: string, reason: 'video' | 'jpeg-xl') => void;
}

/** The entries of a folder with their names as bytes (Node supports it; @types/node 20 types string names only). */
async function openBytes(dir: string): Promise<AsyncIterable<Dirent<Buffer>>> {
  return (await opendir(dir, { encoding: 'buffer' as BufferEncoding })) as unknown as AsyncIterable<Dirent<Buffer>>;
}

/**
 * An entry whose name is not valid UTF-8, stat'ed through its byte path (links followed, like the walk): a
 * BadName if it is a photo file (by extension) or a folder the walk would enter; undefined otherwise (another
 * file, a hidden or system folder, a dangling link). Throws what stat throws for an entry that is not a link.
 */
async function badName(dir: string, entry: Dirent<Buffer>): Promise<BadName | undefined> {
  const lossy = join(dir, entry.name.toString('utf8'));
  const link = entry.isSymbolicLink();
  if (!link && !entry.isDirectory() && !(entry.isFile() && isPhotoFile(lossy))) return undefined;
  if (entry.isDirectory() && isSkippedFolder(basename(lossy))) return undefined;
  let s;
  try {
    s = await stat(Buffer.concat([Buffer.from(dir.endsWith(sep) ? dir : dir + sep), entry.name]));
  } catch (e) {
    if (link) return undefined; // dangling link
    throw e;
  }
  const found = { path: lossy, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) };
  if (s.isDirectory()) return isSkippedFolder(basename(lossy)) ? undefined : { ...found, kind: 'folder' };
  if (s.isFile() && isPhotoFile(lossy)) return { ...found, kind: 'file' };
  return undefined;
}

/**
 * For a path that does not exist as a string (e.g. from the watcher): the entry of its folder whose name is
 * not valid UTF-8 and reads as this path, if any.
 */
export async function findBadName(path: string): Promise<BadName | undefined> {
  const dir = dirname(path);
  const wanted = basename(path);
  try {
    for await (const entry of await openBytes(dir)) {
      if (isUtf8(entry.name) || entry.name.toString('utf8') !== wanted) continue;
      const found = await badName(dir, entry);
      if (found) return found;
    }
  } catch {
    // The folder cannot be read (or the entry vanished): nothing found.
  }
  return undefined;
}

export async function* walkPhotos(root: string, options: WalkOptions = {}): AsyncGenerator<FoundFile> {
  const seen = options.seen ?? new Set<string>();
  const stack: string[] = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let real: string;
    try {
      real = await realpath(dir);
    } catch (e) {
      options.onError?.(dir, e);
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    let entries;
    try {
      entries = await openBytes(dir);
    } catch (e) {
      options.onError?.(dir, e);
      continue;
    }
    const subdirs: string[] = [];
    for await (const entry of entries) {
      if (!isUtf8(entry.name)) {
        try {
          const found = await badName(dir, entry);
          if (found) options.onBadName?.(found);
        } catch (e) {
          options.onError?.(join(dir, entry.name.toString('utf8')), e);
        }
        continue;
      }
      const name = entry.name.toString('utf8');
      const full = join(dir, name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const s = await stat(full);
          isDir = s.isDirectory();
          isFile = s.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (!isSkippedFolder(name)) subdirs.push(full);
      } else if (isFile && skipReasonOf(full)) {
        options.onSkipped?.(full, skipReasonOf(full)!);
      } else if (isFile && isPhotoFile(full)) {
        try {
          const s = await stat(full);
          const realFile = entry.isSymbolicLink() ? await realpath(full) : full;
          if (seen.has(realFile)) continue;
          seen.add(realFile);
          yield { path: full, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) };
        } catch (e) {
          options.onError?.(full, e);
        }
      }
    }
    // Depth-first, in name order (stack: push reversed).
    subdirs.sort().reverse();
    stack.push(...subdirs);
  }
}
