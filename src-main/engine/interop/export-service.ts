/**
 * ExportService: the library's people out to the file system, through the pure export modules.
 *
 * - `folders`: `<out>/<person>/<photo>` links or copies (folder-export.ts: never overwrites).
 * - `csv` / `json`: `<out>/facenet-faces.csv|json`, one row per face (manifest.ts). An existing file of that
 *   name is replaced only when it is one of our manifests (atomic write); anything else there is refused.
 * - `xmp`: a sidecar next to each photo with the named faces of the exported people (sidecar.ts: merged,
 *   never clobbered). The photo itself is only read; a photo whose size differs from the indexed one (edited
 *   since indexing) is skipped, because its boxes would be wrong.
 * Default people: every named, visible person. Boxes are the library's (displayed pixels).
 */
import { cleanName } from '../../../src-shared/names.js';
import { personName } from '../../../src-shared/person-name.js';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { EXPORT_FORMATS, LINK_MODES, SIDECAR_NAMINGS } from '../../../src-shared/api.js';
import { EngineError } from '../errors.js';
import { forEachBounded } from '../../../src-shared/pool.js';
import type { Library } from '../storage/library.js';
import type { FaceSummary, Person, Photo } from '../storage/types.js';
import { distancesToCentre } from '../people/people-analysis.js';
import type { PeopleService } from '../people/people-service.js';
import { exportFolders, type LinkMode } from './folder-export.js';
import { removeDeadWritersTemps, replaceFileWhole } from './whole-files.js';
import { CSV_COLUMNS, manifestCsv, manifestJson, type ManifestRow } from './manifest.js';
import type { FaceRegion } from './regions.js';
import {
  photoGeometry,
  readSidecarText,
  SidecarRefused,
  sidecarPath,
  writeFaceSidecar,
  type SidecarNaming,
} from './sidecar.js';

/**
 * The formats (like the link modes and sidecar namings) are the contract's lists (src-shared/api.ts): the
 * values a client may send are the ones the export knows, checked here too for callers inside the process.
 */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const MANIFEST_NAME = 'facenet-faces';

export interface ExportProgress {
  /** `collect`: reading the library; `write`: creating files. */
  phase: 'collect' | 'write';
  done: number;
  total: number;
}

export interface ExportOptions {
  format: ExportFormat;
  /** Output folder; required for folders/csv/json, not used by xmp (sidecars go next to the photos). */
  out?: string;
  /** People to export; default every named, visible person. */
  personIds?: readonly number[];
  /** folders: symlink (default), hardlink or copy. */
  link?: LinkMode;
  /** xmp: sidecar naming (default `photo.jpg.xmp`). */
  sidecar?: SidecarNaming;
  /** Only faces the user confirmed (default: every face of the person, confirmed or automatic). */
  confirmedOnly?: boolean;
  /** Files written at once (xmp) or linked at once (folders). */
  concurrency?: number;
  onProgress?: (p: ExportProgress) => void;
}

/** What an export wrote (src-main/app/interop-dto.ts sends it to the client). */
export interface ExportResult {
  format: ExportFormat;
  /** The output folder; null for xmp (sidecars next to the photos). */
  out: string | null;
  people: number;
  photos: number;
  faces: number;
  /** folders: links/copies made; csv/json: manifests written; xmp: sidecars written or already up to date. */
  written: number;
  /** folders: entries an earlier export had already made. */
  reused: number;
  /** The manifest, the person folders, or the sidecars. */
  files: string[];
  /** Photos that could not be exported, with the reason. */
  errors: Array<{ path: string; error: string }>;
}

/** One face to export, with everything every format needs. */
export interface ExportFace {
  person: Person;
  /** The name shown in folders and manifests (unique among the exported people). */
  label: string;
  photo: Photo & { width: number; height: number };
  face: FaceSummary;
  distance: number | null;
}

export class ExportService {
  constructor(
    private readonly lib: Library,
    private readonly people: PeopleService,
  ) {}

  async export(options: ExportOptions): Promise<ExportResult> {
    const format = options.format;
    if (!EXPORT_FORMATS.includes(format)) {
      throw new EngineError('invalid', `format must be one of ${EXPORT_FORMATS.join(', ')} (got "${format}")`);
    }
    if (options.link !== undefined && !LINK_MODES.includes(options.link)) {
      throw new EngineError('invalid', `link must be one of ${LINK_MODES.join(', ')} (got "${options.link}")`);
    }
    if (options.sidecar !== undefined && !SIDECAR_NAMINGS.includes(options.sidecar)) {
      throw new EngineError('invalid', `sidecar must be one of ${SIDECAR_NAMINGS.join(', ')}`);
    }
    if (format === 'xmp' && options.out !== undefined) {
      throw new EngineError('invalid', 'xmp sidecars are written next to the photos: --out is not used with xmp');
    }
    if (format !== 'xmp' && !options.out) throw new EngineError('invalid', `format ${format} needs an output folder`);
    if (format !== 'folders' && options.link !== undefined) {
      throw new EngineError('invalid', 'link applies to the folders format only');
    }

    const faces = this.collect(options);
    const photos = new Set(faces.map((f) => f.photo.id)).size;
    const people = new Set(faces.map((f) => f.person.id)).size;
    const base = { format, people, photos, faces: faces.length };
    const out = options.out === undefined ? null : resolve(options.out);
    const progress = (done: number, total: number): void => options.onProgress?.({ phase: 'write', done, total });

    if (format === 'folders') {
      const r = await exportFolders(
        faces.map((f) => ({ person: f.label, photoPath: f.photo.path })),
        out!,
        { mode: options.link ?? 'symlink', concurrency: options.concurrency ?? 8, onProgress: progress },
      );
      return {
        ...base,
        out,
        written: r.files.filter((f) => !f.existed).length,
        reused: r.files.filter((f) => f.existed).length,
        files: [...r.folders.values()],
        errors: r.errors.map((e) => ({ path: e.photoPath, error: e.error })),
      };
    }
    if (format === 'csv' || format === 'json') {
      const rows = faces.map(manifestRow);
      const text = format === 'csv' ? manifestCsv(rows) : manifestJson(rows);
      await mkdir(out!, { recursive: true });
      const file = join(out!, `${MANIFEST_NAME}.${format}`);
      await writeManifest(file, text, format);
      progress(1, 1);
      return { ...base, out, written: 1, reused: 0, files: [file], errors: [] };
    }
    return { ...base, out: null, ...(await this.writeSidecars(faces, options, progress)) };
  }

  /** The faces to export, ordered by person (as listed), photo path, then position. */
  collect(options: Pick<ExportOptions, 'personIds' | 'confirmedOnly' | 'onProgress'>): ExportFace[] {
    const lib = this.lib;
    let selected: Person[];
    if (options.personIds && options.personIds.length > 0) {
      selected = [...new Set(options.personIds)].map((id) => {
        const p = lib.people.get(id);
        if (!p) throw new EngineError('not-found', `no person ${id}`);
        return p;
      });
    } else {
      selected = this.people
        .listPeople()
        .filter((p) => p.name !== null)
        .map((p) => lib.people.get(p.id)!);
      if (selected.length === 0) {
        throw new EngineError('invalid', 'there are no named people to export: name some people, or choose people');
      }
    }
    const labels = uniqueLabels(selected);
    const photoCache = new Map<number, Photo | undefined>();
    const out: ExportFace[] = [];
    selected.forEach((person, i) => {
      const vectors = lib.faces.vectorsOfPerson(person.id);
      const sameDim = vectors.filter((v) => v.embedding.length === vectors[0]?.embedding.length);
      const distance = distancesToCentre(sameDim);
      const rows: ExportFace[] = [];
      for (const face of lib.faces.listByPerson(person.id)) {
        if (options.confirmedOnly && face.assignment !== 'confirmed') continue;
        if (!photoCache.has(face.photoId)) photoCache.set(face.photoId, lib.photos.get(face.photoId));
        const photo = photoCache.get(face.photoId);
        if (!photo || photo.status !== 'done' || !photo.width || !photo.height) continue;
        rows.push({
          person,
          label: labels.get(person.id)!,
          photo: photo as ExportFace['photo'],
          face,
          distance: distance.get(face.id) ?? null,
        });
      }
      rows.sort(
        (a, b) =>
          (a.photo.path < b.photo.path ? -1 : a.photo.path > b.photo.path ? 1 : 0) ||
          a.face.box.x - b.face.box.x ||
          a.face.id - b.face.id,
      );
      out.push(...rows);
      options.onProgress?.({ phase: 'collect', done: i + 1, total: selected.length });
    });
    return out;
  }

  private async writeSidecars(
    faces: readonly ExportFace[],
    options: ExportOptions,
    progress: (done: number, total: number) => void,
  ): Promise<Pick<ExportResult, 'written' | 'reused' | 'files' | 'errors'>> {
    const byPhoto = new Map<number, { photo: ExportFace['photo']; regions: FaceRegion[] }>();
    const byPath = [...faces].sort((a, b) => (a.photo.path < b.photo.path ? -1 : a.photo.path > b.photo.path ? 1 : 0));
    for (const f of byPath) {
      const entry = byPhoto.get(f.photo.id) ?? { photo: f.photo, regions: [] };
      const name = cleanName(f.person.name ?? '');
      entry.regions.push({ ...(name ? { name } : {}), box: f.face.box });
      byPhoto.set(f.photo.id, entry);
    }
    const files: string[] = [];
    const errors: ExportResult['errors'] = [];
    // With `photo.xmp` naming, IMG_1.jpg and IMG_1.png would share a sidecar: the first (by path) keeps it.
    const owners = new Map<string, string>();
    const jobs = [...byPhoto.values()].filter(({ photo }) => {
      const side = sidecarPath(photo.path, options.sidecar).normalize('NFC').toLowerCase();
      const owner = owners.get(side);
      if (owner === undefined) {
        owners.set(side, photo.path);
        return true;
      }
      errors.push({
        path: photo.path,
        error: `its sidecar would be the one of ${owner}: use the photo.jpg.xmp sidecar naming`,
      });
      return false;
    });
    let done = 0;
    await forEachBounded(jobs, options.concurrency ?? 4, async ({ photo, regions }) => {
      try {
        const geometry = await photoGeometry(photo.path);
        if (geometry.width !== photo.width || geometry.height !== photo.height) {
          throw new Error(
            `the photo is ${geometry.width}x${geometry.height} now but was ${photo.width}x${photo.height} when indexed: index it again first`,
          );
        }
        files.push(await writeFaceSidecar(photo.path, regions, { naming: options.sidecar, geometry }));
      } catch (e) {
        errors.push({ path: photo.path, error: (e as Error).message });
      }
      progress(++done, jobs.length);
    });
    files.sort();
    errors.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { written: files.length, reused: 0, files, errors };
  }
}

export function manifestRow(f: ExportFace): ManifestRow {
  return {
    person: f.label,
    photoPath: f.photo.path,
    box: f.face.box,
    imageWidth: f.photo.width,
    imageHeight: f.photo.height,
    score: f.face.score,
    distance: f.distance,
    status: f.face.assignment === 'confirmed' ? 'confirmed' : 'automatic',
  };
}

/**
 * Names, with " (#id)" where two exported people share one (case-insensitively); the unnamed get their one
 * name, "Unnamed #<id>" (src-shared/person-name.ts), as the app and the CLI call them.
 */
function uniqueLabels(people: readonly Person[]): Map<number, string> {
  // Names are cleaned again on the way out (src-shared/names.ts): a library from before the rule, or written
  // by another tool, may hold control or bidi characters that would spoil folder names, CSV and XMP.
  const label = (p: Person): string => personName({ id: p.id, name: cleanName(p.name ?? '') });
  const key = (p: Person): string => label(p).toLowerCase();
  const counts = new Map<string, number>();
  for (const p of people) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
  return new Map(
    people.map((p) => {
      const name = label(p);
      return [p.id, (counts.get(key(p)) ?? 0) > 1 ? `${name} (#${p.id})` : name];
    }),
  );
}

/** Largest existing manifest read back (to see that it is ours): far above any real library's. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** Replaces `file` atomically, but only when nothing is there or it is a manifest we wrote before. */
async function writeManifest(file: string, text: string, format: 'csv' | 'json'): Promise<void> {
  let existing: string | undefined;
  try {
    // Only a regular file of bounded size: a FIFO or a device named like the manifest must not hang the export.
    existing = await readSidecarText(file, MAX_MANIFEST_BYTES, 'manifest');
  } catch (e) {
    if (e instanceof SidecarRefused) {
      throw new EngineError('conflict', `${e.message}: choose another output folder`);
    }
    throw e;
  }
  if (existing !== undefined && !isOurManifest(existing, format)) {
    throw new EngineError('conflict', `${file} exists and is not a FaceNet manifest: choose another output folder`);
  }
  // What a write killed before its rename left; a folder that cannot be listed fails the write below instead.
  await removeDeadWritersTemps(dirname(file), new Set([basename(file)])).catch(() => []);
  if (existing === text) return;
  await replaceFileWhole(file, text);
}

function isOurManifest(text: string, format: 'csv' | 'json'): boolean {
  if (format === 'csv') return text.replace(/^\uFEFF/, '').startsWith(CSV_COLUMNS.join(','));
  try {
    const v = JSON.parse(text) as { version?: unknown; faces?: unknown };
    return v.version === 1 && Array.isArray(v.faces);
  } catch {
    return false;
  }
}
