/** Paths a client sends (library folders, export and import folders), checked before the engine sees them. */
import { homedir } from 'node:os';
import { isAbsolute, join, sep } from 'node:path';
import { ApiError } from '../../src-shared/api.js';

/**
 * A path from a client as an absolute path: `~` and `~/…` (on Windows also `~\…`) are the home folder; empty
 * and relative paths are refused (they would be resolved against the working folder of whatever process runs
 * the engine).
 */
export function absolutePath(path: string, field: string): string {
  if (path.trim() === '') throw new ApiError('bad-request', `${field}: the path is empty`);
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith(`~${sep}`)) return join(homedir(), path.slice(2));
  if (!isAbsolute(path)) {
    throw new ApiError('bad-request', `${field}: "${path}" is not an absolute path (give the full path of the folder)`);
  }
  return path;
}
