/**
 * XMP sidecar files next to photos: naming, reading (sidecar and embedded), merging and atomic writing.
 * The photo itself is only ever read.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import sharp from 'sharp';
import type { SidecarNamingDto } from '../../src-shared/api.js';
import { orientedImageFromStored, type OrientedImage } from './orientation.js';
import type { FaceRegion, ImportedRegion } from './regions.js';
import { rectIou, readFaceRegions } from './xmp-read.js';
import { mergeFaceRegions, type MergeOptions } from './xmp-write.js';

/** `photo.jpg.xmp` (digiKam's default, unambiguous) or `photo.xmp` (Lightroom, darktable's alternative). */
export type SidecarNaming = SidecarNamingDto;

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

/** Displayed size and orientation of a photo, from its header only. */
export async function photoGeometry(photoPath: string): Promise<OrientedImage> {
  const meta = await sharp(photoPath).metadata();
  if (!meta.width || !meta.height) throw new Error(`cannot read the size of ${photoPath}`);
  return orientedImageFromStored(meta.width, meta.height, meta.orientation);
}

/** The photo's embedded XMP packet, if any. */
export async function readEmbeddedXmp(photoPath: string): Promise<Buffer | undefined> {
  const meta = await sharp(photoPath).metadata();
  return meta.xmp;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

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
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return target;
}

export interface PhotoRegions {
  geometry: OrientedImage;
  regions: ImportedRegion[];
  /** The sidecar that contributed, if any. */
  sidecar?: string;
}

/**
 * Face regions of a photo from its sidecar and its embedded XMP, in displayed pixels. A sidecar is the
 * newer word (tools write it instead of touching the photo), so its regions come first and embedded regions
 * that describe the same face are dropped.
 */
export async function readPhotoFaceRegions(photoPath: string, naming?: SidecarNaming): Promise<PhotoRegions> {
  const meta = await sharp(photoPath).metadata();
  if (!meta.width || !meta.height) throw new Error(`cannot read the size of ${photoPath}`);
  const geometry = orientedImageFromStored(meta.width, meta.height, meta.orientation);
  let sidecar: string | undefined;
  let fromSidecar: ImportedRegion[] = [];
  for (const candidate of sidecarCandidates(photoPath, naming)) {
    const text = await readIfExists(candidate);
    if (text === undefined) continue;
    sidecar = candidate;
    fromSidecar = readFaceRegions(text, geometry);
    break;
  }
  const embedded = meta.xmp ? readFaceRegions(meta.xmp, geometry) : [];
  const regions = [...fromSidecar];
  for (const e of embedded) {
    if (!fromSidecar.some((s) => (s.name === e.name || !e.name) && rectIou(s.stored, e.stored) >= 0.5)) regions.push(e);
  }
  return { geometry, regions, ...(sidecar ? { sidecar } : {}) };
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
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      try {
        const sidecar = await writeFaceSidecar(job.photoPath, job.regions, {
          ...options,
          ...(job.geometry ? { geometry: job.geometry } : {}),
          ...(job.target ? { target: job.target } : {}),
        });
        result.written.push({ photoPath: job.photoPath, sidecar });
      } catch (e) {
        result.errors.push({ photoPath: job.photoPath, error: (e as Error).message });
      }
      options.onProgress?.(++done, jobs.length);
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 4, jobs.length));
  await Promise.all(Array.from({ length: n }, worker));
  return result;
}
