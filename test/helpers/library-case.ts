import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LibraryService } from '../../src-main/engine/library/library-service.js';

let cases = 0;

/** A fresh library with an empty photo folder, each in its own subfolder of `dir`. */
export function newLibraryCase(dir: string): { svc: LibraryService; root: string } {
  const base = join(dir, `case-${cases++}`);
  const root = join(base, 'photos');
  mkdirSync(root, { recursive: true });
  return { svc: LibraryService.open(join(base, 'library.db')), root };
}
