/**
 * Folder export: one folder per person holding symlinks, hard links or copies of that person's photos.
 *
 * Never overwrites: every link or copy is created exclusively (symlink/link fail on an existing name,
 * copies are made under a temporary name and linked into place), and a taken name gets " (2)", " (3)"...
 * A copy appears whole or not at all, so an export killed mid-copy leaves no truncated photo for the next
 * one to step around; the next export removes the dead copy's temporary file. An entry left by an earlier export
 * that already points at the same photo is recognised and kept, so exporting twice adds nothing.
 * The originals are only read (copy) or linked to.
 */
import { link, lstat, mkdir, readFile, readlink, stat, symlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { LINK_MODES } from '../../../src-shared/api.js';
import { forEachBounded } from '../../../src-shared/pool.js';
import { nameKey, safeFileName, safeName, uniqueName } from './safe-names.js';
import { copyFileWhole, removeDeadWritersTemps } from './whole-files.js';

/** How a photo appears in its person's folder; the list of modes is the contract's (src-shared/api.ts). */
export type LinkMode = (typeof LINK_MODES)[number];

export interface FolderExportItem {
  person: string;
  photoPath: string;
}

export interface ExportedFile {
  person: string;
  photoPath: string;
  /** Absolute path of the link or copy. */
  outPath: string;
  /** true when an earlier export had already put this photo there. */
  existed: boolean;
}

export interface FolderExportResult {
  /** Person name to the folder made for them. */
  folders: Map<string, string>;
  files: ExportedFile[];
  errors: { person: string; photoPath: string; error: string }[];
}

export interface FolderExportOptions {
  mode: LinkMode;
  /** Parallel file operations; small because the disk, not the CPU, is the limit. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Creates `<outDir>/<safe person name>/<photo file name>` for every item. Items are grouped by person in
 * first-seen order; a photo listed twice for one person is exported once.
 */
export async function exportFolders(
  items: readonly FolderExportItem[],
  outDir: string,
  options: FolderExportOptions,
): Promise<FolderExportResult> {
  const root = resolve(outDir);
  await mkdir(root, { recursive: true });

  const byPerson = new Map<string, string[]>();
  for (const { person, photoPath } of items) {
    const list = byPerson.get(person) ?? [];
    const abs = resolve(photoPath);
    if (!list.includes(abs)) list.push(abs);
    byPerson.set(person, list);
  }

  // Folder names: distinct people whose safe names collide (case-insensitively) get suffixes.
  const folders = new Map<string, string>();
  const takenFolders = new Set<string>();
  for (const person of byPerson.keys()) {
    folders.set(person, join(root, uniqueName(safeName(person, { fallback: 'Unnamed' }), takenFolders)));
  }

  // Plan first, in input order, so names are deterministic: reuse what an earlier export left for the very
  // same photo, otherwise reserve the first free name. Only then create links/copies in parallel.
  const result: FolderExportResult = { folders, files: [], errors: [] };
  const planned: { person: string; photo: string; folder: string; wanted: string; name: string; taken: Set<string> }[] =
    [];
  for (const [person, photos] of byPerson) {
    const folder = folders.get(person)!;
    try {
      await mkdir(folder, { recursive: true });
    } catch (e) {
      for (const photo of photos) result.errors.push({ person, photoPath: photo, error: (e as Error).message });
      continue;
    }
    const existing = await removeDeadWritersTemps(folder);
    const taken = new Set(existing.map((n) => nameKey(n)));
    const leftovers = new Map(existing.map((n) => [nameKey(n), n]));
    for (const photo of photos) {
      const wanted = safeFileName(basename(photo), { fallback: 'photo' });
      const reused = await findPrevious(photo, wanted, folder, leftovers, options.mode);
      if (reused) result.files.push({ person, photoPath: photo, outPath: reused, existed: true });
      else planned.push({ person, photo, folder, wanted, name: uniqueName(wanted, taken), taken });
    }
  }

  const total = result.files.length + planned.length;
  let done = result.files.length;
  await forEachBounded(planned, options.concurrency ?? 8, async (job) => {
    try {
      const outPath = await create(job, options.mode);
      result.files.push({ person: job.person, photoPath: job.photo, outPath, existed: false });
    } catch (e) {
      result.errors.push({ person: job.person, photoPath: job.photo, error: (e as Error).message });
    }
    options.onProgress?.(++done, total);
  });
  if (planned.length === 0) options.onProgress?.(done, total);
  // Tasks finish in any order; report in input order so output is reproducible.
  const order = new Map([...byPerson].flatMap(([person, photos]) => photos.map((p, i) => [`${person}\0${p}`, i])));
  const rank = (f: { person: string; photoPath: string }): number => order.get(`${f.person}\0${f.photoPath}`) ?? 0;
  const personRank = new Map([...byPerson.keys()].map((p, i) => [p, i]));
  const cmp = (a: { person: string; photoPath: string }, b: { person: string; photoPath: string }): number =>
    personRank.get(a.person)! - personRank.get(b.person)! || rank(a) - rank(b);
  result.files.sort(cmp);
  result.errors.sort(cmp);
  return result;
}

/** An entry from an earlier export that is this very photo (same name, or one of its suffixed variants). */
async function findPrevious(
  photo: string,
  wanted: string,
  folder: string,
  leftovers: Map<string, string>,
  mode: LinkMode,
): Promise<string | undefined> {
  for (const [key, name] of leftovers) {
    if (!sameFamily(key, wanted)) continue;
    const candidate = join(folder, name);
    if (await isSameTarget(candidate, photo, mode)) {
      leftovers.delete(key);
      return candidate;
    }
  }
  return undefined;
}

/** Creates the link or copy exclusively; if something appeared at that name meanwhile, takes the next suffix. */
async function create(
  job: { photo: string; folder: string; wanted: string; name: string; taken: Set<string> },
  mode: LinkMode,
): Promise<string> {
  const { photo, folder, wanted, taken } = job;
  let name = job.name;
  for (;;) {
    const outPath = join(folder, name);
    try {
      if (mode === 'symlink') await symlink(photo, outPath);
      else if (mode === 'hardlink') await link(photo, outPath);
      else await copyFileWhole(photo, outPath);
      return outPath;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      name = uniqueName(wanted, taken);
    }
  }
}

/** "img.jpg" matches "img.jpg", "img (2).jpg", ... (keys are lower-case). */
function sameFamily(key: string, wanted: string): boolean {
  const w = wanted.normalize('NFC').toLowerCase();
  if (key === w) return true;
  const dot = w.lastIndexOf('.');
  const stem = dot > 0 ? w.slice(0, dot) : w;
  const ext = dot > 0 ? w.slice(dot) : '';
  return (
    key.startsWith(`${stem} (`) &&
    key.endsWith(`)${ext}`) &&
    /^\d+$/.test(key.slice(stem.length + 2, key.length - ext.length - 1))
  );
}

async function isSameTarget(candidate: string, photo: string, mode: LinkMode): Promise<boolean> {
  try {
    if (mode === 'symlink') {
      const st = await lstat(candidate);
      return st.isSymbolicLink() && resolve(await readlink(candidate)) === photo;
    }
    const [a, b] = await Promise.all([stat(candidate), stat(photo)]);
    if (mode === 'hardlink') return a.ino === b.ino && a.dev === b.dev;
    if (!a.isFile() || a.size !== b.size) return false; // never read a FIFO or a device left there
    const [x, y] = await Promise.all([readFile(candidate), readFile(photo)]);
    return x.equals(y);
  } catch {
    return false;
  }
}
