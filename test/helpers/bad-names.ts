/**
 * File and folder names that are not valid UTF-8 (Linux allows any bytes but '/' and NUL). Node shows such a
 * name with U+FFFD for the bad bytes. Some file systems refuse them (macOS APFS: EILSEQ); tests check
 * `badNamesSupported()` first.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { makePhoto, type PhotoSpec } from './images.js';

/** `café.jpg` with a Latin-1 é (0xE9): not valid UTF-8. Shown as `caf\uFFFD.jpg`. */
export const LATIN1_PHOTO = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('.jpg')]);
/** A folder name with a lone 0xFF byte. Shown as `trip\uFFFDx`. */
export const BAD_FOLDER = Buffer.concat([Buffer.from('trip'), Buffer.from([0xff]), Buffer.from('x')]);

/** The byte path `dir/name` (dir a string path, name raw bytes). */
export function bytePath(dir: string, ...names: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from(dir), ...names.flatMap((n) => [Buffer.from(sep), n])]);
}

/** The string Node shows for the byte path (invalid bytes as U+FFFD). */
export function lossy(dir: string, ...names: Buffer[]): string {
  return join(dir, ...names.map((n) => n.toString('utf8')));
}

/** Whether this system's temporary folder keeps a name that is not valid UTF-8 byte for byte. */
export function badNamesSupported(): boolean {
  const probe = join(tmpdir(), `facenet-bad-name-probe-${process.pid}`);
  try {
    mkdirSync(probe, { recursive: true });
    writeFileSync(bytePath(probe, LATIN1_PHOTO), 'x');
    return readdirSync(probe, { encoding: 'buffer' }).some((n) => n.equals(LATIN1_PHOTO));
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** A synthetic photo (test/helpers/images.ts) written under a name given as bytes. */
export async function makePhotoAt(dir: string, names: Buffer[], spec: PhotoSpec = {}): Promise<void> {
  const scratch = join(dir, `.scratch-${process.pid}-${Math.random().toString(36).slice(2)}.jpg`);
  await makePhoto(scratch, spec);
  renameSync(scratch, bytePath(dir, ...names));
}
