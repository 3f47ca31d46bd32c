/**
 * The browser's folder picker (browseFolders): the subfolders of one folder, so that a user of `facenet serve`
 * can walk to a photo folder without typing its path (the desktop app has the system's dialog instead).
 * Only folder names leave this module: files are never listed and nothing is read from them. Hidden folders
 * (".name") are left out, as the indexer skips them.
 */
import { promises as fsp, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ApiError, type FolderListingDto } from '../../src-shared/api.js';
import { absolutePath } from './absolute-path.js';

/** Whether an entry is a folder, following a link to one (a link to a file or a broken link is not). */
async function isFolder(parent: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  const stat = await fsp.stat(join(parent, entry.name)).catch(() => null);
  return stat?.isDirectory() ?? false;
}

/** Why a folder cannot be listed, in plain words. */
function reason(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `there is no folder ${path}`;
  if (code === 'ENOTDIR') return `${path} is a file, not a folder`;
  if (code === 'EACCES' || code === 'EPERM') return `${path} cannot be opened (permission denied)`;
  return `${path} cannot be opened (${code ?? (error instanceof Error ? error.message : String(error))})`;
}

export async function browseFolders(path: string | undefined): Promise<FolderListingDto> {
  const folder = resolve(path === undefined ? homedir() : absolutePath(path, 'path'));
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(folder, { withFileTypes: true });
  } catch (e) {
    throw new ApiError('bad-request', reason(folder, e));
  }
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  const folders = (await Promise.all(visible.map(async (e) => ((await isFolder(folder, e)) ? e.name : null))))
    .filter((name): name is string => name !== null)
    .sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true }) || (a < b ? -1 : 1))
    .map((name) => ({ name, path: join(folder, name) }));
  const parent = dirname(folder);
  return { path: folder, parent: parent === folder ? null : parent, folders };
}
