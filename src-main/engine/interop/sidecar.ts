/**
 * XMP sidecar files next to photos: naming, reading (sidecar and embedded), merging and atomic writing.
 * The photo itself is only ever read.
 */
import { constants as fsConstants } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { SIDECAR_NAMINGS } from '../../../src-shared/api.js';
import { forEachBounded } from '../../../src-shared/pool.js';
import { photoLayout } from '../vision/formats/open.js';
import { orientedImageFromStored, type OrientedImage } from './orientation.js';
import type { FaceRegion, ImportedRegion } from './regions.js';
import {
  MAX_REGIONS_PER_PHOTO,
  rectIou,
  readFaceRegionReport,
  type FaceRegionReport,
  type RejectedRegion,
} from './xmp-read.js';
import { mergeFaceRegions, type MergeOptions } from './xmp-write.js';
import { removeDeadWritersTemps, replaceFileWhole } from './whole-files.js';

/**
 * `photo.jpg.xmp` (digiKam's default, unambiguous) or `photo.xmp` (Lightroom, darktable's alternative). The
 * list of namings is the contract's (src-shared/api.ts), so what a client may ask and what is written agree.
 */
export type SidecarNaming = (typeof SIDECAR_NAMINGS)[number];

export function sidecarPath(photoPath: string, naming: SidecarNaming = 'photo.jpg.xmp'): string {
  if (naming === 'photo.jpg.xmp') return `${photoPath}.xmp`;
  const ext = extname(photoPath);
  return join(dirname(photoPath), `${basename(photoPath, ext)}.xmp`);
}

/** Candidate sidecar paths, the configured naming first, in both letter cases of the extension. */
export function sidecarCandidates(photoPath: string, naming: SidecarNaming = 'photo.jpg.xmp'): string[] {
  const other: SidecarNaming = naming === 'photo.jpg.xmp' ? 'photo.xmp' : 'photo.jpg.xmp';
  const out: string[] = [];
  for (const n of [naming, other]) {
    const p = sidecarPath(photoPath, n);
    out.push(p, p.slice(0, -4) + '.XMP');
  }
  return [...new Set(out)];
}

/** Displayed size and orientation of a photo (any supported format: vision/formats/open.ts photoLayout). */
export async function photoGeometry(photoPath: string): Promise<OrientedImage> {
  const layout = await photoLayout(photoPath);
  return orientedImageFromStored(layout.width, layout.height, layout.orientation);
}

/**
 * Largest sidecar we read (and largest embedded XMP packet we parse). Real ones are a few KiB (digiKam with
 * dozens of faces: tens of KiB); a JPEG's standard XMP segment is capped at 64 KiB by the format.
 */
export const MAX_XMP_BYTES = 4 * 1024 * 1024;

/** A sidecar (or embedded packet) we refuse to read; the message is the plain reason. */
export class SidecarRefused extends Error {}

const KIND = (s: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isDirectory(): boolean;
}): string =>
  s.isFIFO()
    ? 'a named pipe (FIFO)'
    : s.isCharacterDevice() || s.isBlockDevice()
      ? 'a device'
      : s.isSocket()
        ? 'a socket'
        : s.isDirectory()
          ? 'a folder'
          : 'not a regular file';

/**
 * Reads a sidecar as UTF-8 text, or undefined when there is none. Only a regular file of at most `maxBytes`
 * is read: a FIFO would block the read (and a thread of Node's file pool) forever, a device such as
 * /dev/zero never ends, and a huge file exhausts memory and the XML parser. A symlink is followed only when
 * its target is a regular file. The open is non-blocking and the descriptor is checked again, so a file
 * swapped for a FIFO between the check and the open cannot hang us either. Throws SidecarRefused.
 */
export async function readSidecarText(
  path: string,
  maxBytes = MAX_XMP_BYTES,
  what = 'sidecar',
): Promise<string | undefined> {
  let info;
  try {
    info = await lstat(path);
    if (info.isSymbolicLink()) info = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined; // includes a dangling symlink
    if (code === 'ELOOP') throw new SidecarRefused(`${what} ${path} is a symlink loop: not read`);
    throw e;
  }
  if (!info.isFile()) throw new SidecarRefused(`${what} ${path} is ${KIND(info)}, not a regular file: not read`);
  if (info.size > maxBytes) throw new SidecarRefused(tooBig(what, path, info.size, maxBytes));
  const handle = await open(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const again = await handle.stat();
    if (!again.isFile()) throw new SidecarRefused(`${what} ${path} is ${KIND(again)}, not a regular file: not read`);
    if (again.size > maxBytes) throw new SidecarRefused(tooBig(what, path, again.size, maxBytes));
    // Read at most maxBytes + 1 whatever the size said (the file may grow while we read).
    const buf = Buffer.alloc(Math.min(maxBytes + 1, Math.max(again.size, 0) + 1));
    let n = 0;
    for (;;) {
      if (n === buf.length) break;
      const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > maxBytes) throw new SidecarRefused(tooBig(what, path, n, maxBytes));
    if (n === buf.length) throw new SidecarRefused(`${what} ${path} grew while it was read: not read`);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    await handle.close();
  }
}

function tooBig(what: string, path: string, size: number, max: number): string {
  return `${what} ${path} is larger than ${max / 1024 / 1024} MiB (${size} bytes): not read`;
}

/** The photo's embedded XMP packet, if any (undefined when larger than MAX_XMP_BYTES). */
export async function readEmbeddedXmp(photoPath: string): Promise<Buffer | undefined> {
  const { xmp } = await photoLayout(photoPath);
  return xmp && xmp.length <= MAX_XMP_BYTES ? xmp : undefined;
}

const readIfExists = (path: string): Promise<string | undefined> => readSidecarText(path);

export interface WriteSidecarOptions extends MergeOptions {
  naming?: SidecarNaming;
  /** Write here instead of next to the photo (e.g. an export folder); the naming setting is then unused. */
  target?: string;
  /** Pass when already known (saves a header read); must describe the photo the boxes were measured on. */
  geometry?: OrientedImage;
}

/**
 * Writes (or merges into) the photo's sidecar. Goes through a temporary file and a rename, so a crash never
 * leaves a half-written sidecar; an existing sidecar that is not XMP makes this throw instead of replacing it.
 * Returns the sidecar path.
 */
export async function writeFaceSidecar(
  photoPath: string,
  regions: readonly FaceRegion[],
  options: WriteSidecarOptions = {},
): Promise<string> {
  const target = options.target ?? sidecarPath(photoPath, options.naming);
  const geometry = options.geometry ?? (await photoGeometry(photoPath));
  const existing = await readIfExists(target);
  const text = mergeFaceRegions(existing, regions, geometry, options);
  // Re-exporting unchanged regions leaves the file (and its mtime, which sync tools watch) alone.
  if (text === existing) return target;
  await replaceFileWhole(target, text);
  return target;
}

export interface PhotoRegions {
  geometry: OrientedImage;
  regions: ImportedRegion[];
  /** The sidecar that contributed, if any. */
  sidecar?: string;
  /** Named face regions with a malformed area (not in `regions`), with the reason. */
  rejected: RejectedRegion[];
  /** Face regions not read because the packet had more than MAX_REGIONS_PER_PHOTO. */
  overflow: number;
}

/**
 * Face regions of a photo from its sidecar and its embedded XMP, in displayed pixels. A sidecar is the
 * newer word (tools write it instead of touching the photo), so its regions come first and embedded regions
 * that describe the same face are dropped. At most MAX_REGIONS_PER_PHOTO regions are returned. Throws
 * (SidecarRefused) for a sidecar that is not a regular file of at most MAX_XMP_BYTES, and for a photo
 * that is not a regular file.
 */
export async function readPhotoFaceRegions(photoPath: string, naming?: SidecarNaming): Promise<PhotoRegions> {
  // sharp would open a FIFO or a device named like a photo and wait on it forever.
  const info = await stat(photoPath);
  if (!info.isFile()) throw new SidecarRefused(`${photoPath} is ${KIND(info)}, not a regular file: not read`);
  const meta = await photoLayout(photoPath);
  const geometry = orientedImageFromStored(meta.width, meta.height, meta.orientation);
  let sidecar: string | undefined;
  let fromSidecar: FaceRegionReport = { regions: [], rejected: [], overflow: 0 };
  for (const candidate of sidecarCandidates(photoPath, naming)) {
    const text = await readIfExists(candidate);
    if (text === undefined) continue;
    sidecar = candidate;
    fromSidecar = readFaceRegionReport(text, geometry);
    break;
  }
  if (meta.xmp && meta.xmp.length > MAX_XMP_BYTES) {
    throw new SidecarRefused(
      `the XMP embedded in ${photoPath} is larger than ${MAX_XMP_BYTES / 1024 / 1024} MiB: not read`,
    );
  }
  const embedded: FaceRegionReport = meta.xmp
    ? readFaceRegionReport(meta.xmp, geometry)
    : { regions: [], rejected: [], overflow: 0 };
  const regions = [...fromSidecar.regions];
  let overflow = fromSidecar.overflow + embedded.overflow;
  for (const e of embedded.regions) {
    if (fromSidecar.regions.some((s) => (s.name === e.name || !e.name) && rectIou(s.stored, e.stored) >= 0.5)) continue;
    if (regions.length >= MAX_REGIONS_PER_PHOTO) overflow++;
    else regions.push(e);
  }
  const rejected = [
    ...fromSidecar.rejected,
    ...embedded.rejected.filter((r) => !regions.some((k) => k.name === r.name)),
  ];
  return { geometry, regions, ...(sidecar ? { sidecar } : {}), rejected, overflow };
}

export interface SidecarJob {
  photoPath: string;
  regions: readonly FaceRegion[];
  /** From the library when known; otherwise read from the photo's header. */
  geometry?: OrientedImage;
  /** Overrides the sidecar location for this photo. */
  target?: string;
}

export interface SidecarBatchResult {
  written: { photoPath: string; sidecar: string }[];
  errors: { photoPath: string; error: string }[];
}

/**
 * Writes many sidecars with a few in flight at once; one failure (an unreadable existing sidecar, a
 * read-only folder) is reported and does not stop the others.
 */
export async function writeFaceSidecars(
  jobs: readonly SidecarJob[],
  options: Omit<WriteSidecarOptions, 'geometry' | 'target'> & {
    concurrency?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<SidecarBatchResult> {
  const result: SidecarBatchResult = { written: [], errors: [] };
  // What an earlier batch killed between a sidecar's write and its rename left beside the photos: only the
  // temporary files of the sidecars this batch writes, one listing per folder.
  const targets = jobs.map((job) => job.target ?? sidecarPath(job.photoPath, options.naming));
  const byFolder = new Map<string, Set<string>>();
  for (const target of targets) {
    const names = byFolder.get(dirname(target)) ?? new Set<string>();
    byFolder.set(dirname(target), names.add(basename(target)));
  }
  // A folder that cannot be listed is left alone: writing its sidecars reports the problem per photo.
  for (const [folder, names] of byFolder) await removeDeadWritersTemps(folder, names).catch(() => []);
  let done = 0;
  await forEachBounded(jobs, options.concurrency ?? 4, async (job, i) => {
    try {
      const sidecar = await writeFaceSidecar(job.photoPath, job.regions, {
        ...options,
        ...(job.geometry ? { geometry: job.geometry } : {}),
        target: targets[i]!,
      });
      result.written.push({ photoPath: job.photoPath, sidecar });
    } catch (e) {
      result.errors.push({ photoPath: job.photoPath, error: (e as Error).message });
    }
    options.onProgress?.(++done, jobs.length);
  });
  return result;
}
