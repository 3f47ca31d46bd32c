/**
 * Files that appear whole or not at all in folders the user owns (export folders, manifests, sidecars).
 *
 * A process killed mid-write must not leave a truncated file under the real name: the next run would take it
 * for someone else's file, keep it, and write "name (2).jpg" beside it. So everything is written to a
 * temporary name in the same folder first and only then put in place. Temporary names carry the writer's pid
 * (`<name>.<pid>.<8 hex>.tmp`), which lets a later run remove what a dead writer left without touching the
 * temporary files of one still running.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, lstat, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP_NAME = /^(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** A temporary name beside `target`, in this process's pattern. */
function tempNameFor(target: string): string {
  return `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Replaces `target` with `text` atomically (a reader sees the old file or the new one, never a part). */
export async function replaceFileWhole(target: string, text: string): Promise<void> {
  const tmp = tempNameFor(target);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Copies `source` to `dest` only if nothing is at `dest`, and only whole: the copy is made under a temporary
 * name and then hard-linked to `dest`, which fails with EEXIST if the name was taken meanwhile (the same
 * guarantee as COPYFILE_EXCL). On file systems without hard links (FAT and exFAT on USB drives) the copy is
 * renamed into place after a check that the name is free; two exports racing for one name there is the only
 * case this cannot rule out.
 */
export async function copyFileWhole(source: string, dest: string): Promise<void> {
  const tmp = tempNameFor(dest);
  try {
    await copyFile(source, tmp, constants.COPYFILE_EXCL);
    try {
      await link(tmp, dest);
    } catch (e) {
      if (!noHardLinks(e)) throw e;
      if (await exists(dest))
        throw Object.assign(new Error(`EEXIST: file already exists, ${dest}`), { code: 'EEXIST' });
      await rename(tmp, dest);
    }
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Removes the temporary files that writers no longer running left in `folder` (a kill between write and
 * rename), and returns the names the folder holds after that (its listing, so a caller need not list it
 * again). Only regular files named in the pattern above are touched, and in a folder that is not ours alone
 * (the photos' folders, the folder a manifest goes to) only those of `targets`, the file names we write there.
 * Throws what listing the folder throws.
 */
export async function removeDeadWritersTemps(folder: string, targets?: ReadonlySet<string>): Promise<string[]> {
  const names = await readdir(folder);
  const left: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (m && (!targets || targets.has(m[1]!)) && !isRunning(Number(m[2])) && (await removeFile(join(folder, name))))
      continue;
    left.push(name);
  }
  return left;
}

/** Removes a regular file; false when it is something else or could not be removed (gone already, not ours). */
async function removeFile(path: string): Promise<boolean> {
  try {
    if (!(await lstat(path)).isFile()) return false;
    await rm(path);
    return true;
  } catch {
    return false;
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user. Only ESRCH says nobody has that pid.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function noHardLinks(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS';
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
