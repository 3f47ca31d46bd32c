/**
 * Recursive folder walk. Skips hidden and system folders; follows symbolic links but visits each real folder
 * and each real file once (so link loops end and a linked photo is not indexed twice).
 */
import { opendir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isPhotoFile, isSkippedFolder } from './files.js';

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface WalkOptions {
  /** Real paths already visited (shared across several roots so nested or linked roots are walked once). */
  seen?: Set<string>;
  onError?: (path: string, error: unknown) => void;
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
      entries = await opendir(dir);
    } catch (e) {
      options.onError?.(dir, e);
      continue;
    }
    const subdirs: string[] = [];
    for await (const entry of entries) {
      const full = join(dir, entry.name);
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
        if (!isSkippedFolder(entry.name)) subdirs.push(full);
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
