/**
 * ImportService: names from other tools' XMP face regions (digiKam, Lightroom, Picasa, Windows Photo Gallery)
 * become the user's decisions in the library.
 *
 * For each library photo under the given folders: MWG and MP regions are read from its sidecar and its
 * embedded XMP (sidecar.ts; the photo is only read). Each named face region is matched to a detected face of
 * the photo by overlap (match.ts); a region no detected face matches becomes a new face, embedded like a face
 * the user drew (PeopleService.addManualFace). Names become people (an existing person with that name,
 * case-insensitively, is reused) and the faces are confirmed for them, so re-clustering honours them.
 *
 * The user's own decisions win: a face already confirmed for someone else, or rejected for that name, is
 * left alone and reported as a conflict. Importing twice changes nothing the second time. Photos that are
 * not indexed (new, pending, failed) cannot be matched: the ones with regions are listed in `notIndexed`.
 */
import { realpath, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { EngineError } from '../errors.js';
import { iou } from '../../../src-shared/geometry.js';
import { forEachBounded } from '../../../src-shared/pool.js';
import { walkPhotos } from '../indexing/scan.js';
import type { Library } from '../storage/library.js';
import type { FaceSummary, Photo } from '../storage/types.js';
import type { ManualEmbedder, PeopleService } from '../people/people-service.js';
import { DEFAULT_MIN_IOU, matchRegionsToFaces } from './match.js';
import type { ImportedRegion } from './regions.js';
import { readPhotoFaceRegions, type SidecarNaming } from './sidecar.js';
import { MAX_REGIONS_PER_PHOTO } from './xmp-read.js';

/** Two regions of one photo are the same face when they overlap this much. */
const SAME_FACE_IOU = 0.5;

export interface ImportProgress {
  /** `read`: reading XMP of the photos; `apply`: recording the decisions. */
  phase: 'read' | 'apply';
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Preferred sidecar naming when both exist (default `photo.jpg.xmp`). */
  sidecar?: SidecarNaming;
  /** Embeds a face for a region the detector missed; without it such regions are reported, not imported. */
  embed?: ManualEmbedder;
  /** Minimum IoU between a region and a detected face (default: match.ts's 0.3). */
  minIou?: number;
  concurrency?: number;
  onProgress?: (p: ImportProgress) => void;
}

/** A region left alone: the user decided otherwise, or no face could be made from it. */
export interface ImportConflict {
  path: string;
  name: string;
  reason: string;
}

/** What an import did (the app adds the re-cluster that follows; src-main/app/interop-dto.ts). */
export interface ImportResult {
  /** Library photos found under the folders. */
  photos: number;
  /** Of those, photos with at least one named face region. */
  photosWithRegions: number;
  /** Named face regions read (unnamed ones are counted apart and ignored). */
  regions: number;
  unnamedRegions: number;
  /** Regions matched to a detected face and confirmed. */
  matched: number;
  /** Faces created for regions the detector had missed. */
  created: number;
  /** Regions whose face was already confirmed for that person (nothing to do). */
  alreadyConfirmed: number;
  /** Distinct people the names belong to, and how many of them the import created. */
  people: number;
  newPeople: number;
  conflicts: ImportConflict[];
  /** Photos with named regions the library has not indexed yet (index them, then import again). */
  notIndexed: string[];
  errors: Array<{ path: string; error: string }>;
}

/** An import that found nothing (the counters every import starts from). */
export function emptyImportResult(): ImportResult {
  return {
    photos: 0,
    photosWithRegions: 0,
    regions: 0,
    unnamedRegions: 0,
    matched: 0,
    created: 0,
    alreadyConfirmed: 0,
    people: 0,
    newPeople: 0,
    conflicts: [],
    notIndexed: [],
    errors: [],
  };
}

interface PhotoPlan {
  photo: Photo;
  regions: (ImportedRegion & { name: string })[];
}

/** A person key: names compare case-insensitively, composed the same way. */
const nameKey = (name: string): string => name.normalize('NFC').trim().toLowerCase();

export class ImportService {
  constructor(
    private readonly lib: Library,
    private readonly people: PeopleService,
  ) {}

  /** Imports the face regions of the library's photos under `folders`. */
  async importXmp(folders: readonly string[], options: ImportOptions = {}): Promise<ImportResult> {
    if (folders.length === 0) throw new EngineError('invalid', 'give at least one folder');
    const roots: string[] = [];
    for (const folder of folders) {
      let real: string;
      try {
        real = await realpath(folder);
      } catch {
        throw new EngineError('invalid', `not a folder: ${folder}`);
      }
      if (!(await stat(real)).isDirectory()) throw new EngineError('invalid', `not a folder: ${folder}`);
      roots.push(real);
    }
    const result = emptyImportResult();

    const paths = await this.photoFiles(roots);
    const plans = await this.read(paths, options, result);
    await this.apply(plans, options, result);
    result.notIndexed.sort();
    result.errors.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return result;
  }

  /** Photo files under the roots, as the indexer names them, plus library photos the walk did not reach. */
  private async photoFiles(roots: readonly string[]): Promise<string[]> {
    const seen = new Set<string>();
    const files = new Set<string>();
    for (const root of roots) for await (const f of walkPhotos(root, { seen })) files.add(f.path);
    for (const p of this.lib.photos.list({ status: 'done' })) {
      if (roots.some((r) => p.path === r || p.path.startsWith(r.endsWith(sep) ? r : r + sep))) files.add(p.path);
    }
    return [...files].sort();
  }

  private async read(paths: readonly string[], options: ImportOptions, result: ImportResult): Promise<PhotoPlan[]> {
    const plans: PhotoPlan[] = [];
    let done = 0;
    await forEachBounded(paths, options.concurrency ?? 4, async (path) => {
      const photo = this.lib.photos.getByPath(path);
      const indexed = photo?.status === 'done' && !!photo.width && !!photo.height;
      if (indexed) result.photos++;
      try {
        const { geometry, regions, rejected, overflow } = await readPhotoFaceRegions(path, options.sidecar);
        const named = regions.filter((r): r is ImportedRegion & { name: string } => !!r.name?.trim());
        if (named.length > 0 && !indexed) result.notIndexed.push(path);
        if (indexed) {
          for (const r of rejected) {
            if (r.name !== undefined) result.conflicts.push({ path, name: r.name, reason: r.reason });
          }
          if (overflow > 0) {
            result.errors.push({
              path,
              error:
                `${overflow} face region(s) beyond the ${MAX_REGIONS_PER_PHOTO} a photo may have were not read ` +
                `(the first ${MAX_REGIONS_PER_PHOTO} were)`,
            });
          }
          if (geometry.width !== photo.width || geometry.height !== photo.height) {
            if (named.length > 0) throw new Error('the photo changed since it was indexed: index it again first');
          } else if (named.length > 0) {
            result.photosWithRegions++;
            result.regions += named.length;
            result.unnamedRegions += regions.length - named.length;
            plans.push({ photo, regions: named });
          } else {
            result.unnamedRegions += regions.length;
          }
        }
      } catch (e) {
        // An unreadable file the library already knows as failed is not news; anything else is.
        if (indexed || !photo) result.errors.push({ path, error: (e as Error).message });
      }
      options.onProgress?.({ phase: 'read', done: ++done, total: paths.length });
    });
    return plans.sort((a, b) => (a.photo.path < b.photo.path ? -1 : a.photo.path > b.photo.path ? 1 : 0));
  }

  private async apply(plans: readonly PhotoPlan[], options: ImportOptions, result: ImportResult): Promise<void> {
    const lib = this.lib;
    const modelVersion = this.people.modelVersion();
    // Existing people by name: an exact spelling wins, then the lowest id.
    const byName = new Map<string, { id: number; name: string }>();
    for (const p of lib.people.list()) {
      if (p.name === null) continue;
      const k = nameKey(p.name);
      const prev = byName.get(k);
      if (!prev) byName.set(k, { id: p.id, name: p.name });
    }
    const involved = new Set<string>();
    const created = new Set<string>();
    /** Person id for a name, creating the person on first use (through the first confirmation). */
    const personFor = (name: string): number | undefined => byName.get(nameKey(name))?.id;
    const remember = (name: string, id: number): void => {
      byName.set(nameKey(name), { id, name });
      created.add(nameKey(name));
    };

    // 1. Matched regions, grouped by person so each person gets one confirmation.
    const confirmations = new Map<string, { name: string; faceIds: number[] }>();
    const missing: { photo: Photo; region: ImportedRegion & { name: string } }[] = [];
    for (const { photo, regions } of plans) {
      const faces = lib.faces
        .summariesByPhoto(photo.id)
        .filter((f) => modelVersion === null || f.modelVersion === modelVersion);
      const m = matchRegionsToFaces(regions, faces, options.minIou);
      const minIou = options.minIou ?? DEFAULT_MIN_IOU;
      for (const { region, face } of m.matched) {
        involved.add(nameKey(region.name));
        const verdict = this.verdict(face, region.name, personFor(region.name));
        if (verdict === 'done') result.alreadyConfirmed++;
        else if (verdict !== 'ok') result.conflicts.push({ path: photo.path, name: region.name, reason: verdict });
        else {
          const entry = confirmations.get(nameKey(region.name)) ?? { name: region.name.trim(), faceIds: [] };
          entry.faceIds.push(face.id);
          confirmations.set(nameKey(region.name), entry);
        }
      }
      // Regions that collapse onto one face (stacked copies, or several names on one face): the matcher gave
      // the face to the best-overlapping region; the others would become duplicate faces. Same for stacked
      // regions where the detector found nothing: the first one stands for the face.
      const standing: (ImportedRegion & { name: string })[] = [];
      for (const region of m.unmatchedRegions) {
        const taken = m.matched.find(({ face }) => iou(region.box, face.box) >= minIou);
        const twin = taken?.region ?? standing.find((s) => iou(region.box, s.box) >= SAME_FACE_IOU);
        if (twin) {
          involved.add(nameKey(region.name));
          result.conflicts.push({
            path: photo.path,
            name: region.name,
            reason: `another region of this photo (${twin.name}) is on the same face; only that one was imported`,
          });
        } else {
          standing.push(region);
          missing.push({ photo, region });
        }
      }
    }
    const total = confirmations.size + missing.length;
    let done = 0;
    for (const [key, { name, faceIds }] of confirmations) {
      const personId = byName.get(key)?.id;
      if (personId !== undefined) this.people.confirmFaces(faceIds, personId);
      else remember(name, this.people.moveFaces(faceIds, { newPerson: true, name }).personId);
      result.matched += faceIds.length;
      options.onProgress?.({ phase: 'apply', done: ++done, total });
    }

    // 2. Regions the detector found no face for: a face like one the user drew.
    for (const { photo, region } of missing) {
      involved.add(nameKey(region.name));
      if (!options.embed) {
        result.conflicts.push({
          path: photo.path,
          name: region.name,
          reason: 'no detected face there, and this face pipeline cannot embed a region',
        });
      } else {
        const personId = personFor(region.name);
        try {
          const r = await this.people.addManualFace(
            photo.id,
            region.box,
            personId !== undefined ? { personId } : { newPerson: true, name: region.name.trim() },
            options.embed,
          );
          if (personId === undefined) remember(region.name.trim(), r.personId);
          result.created++;
        } catch (e) {
          result.conflicts.push({
            path: photo.path,
            name: region.name,
            reason: `no face could be made from the region: ${(e as Error).message}`,
          });
        }
      }
      options.onProgress?.({ phase: 'apply', done: ++done, total });
    }
    result.people = [...involved].filter((k) => byName.has(k)).length;
    result.newPeople = created.size;
  }

  /** 'ok' to confirm, 'done' when already so, otherwise why the user's own decision stands in the way. */
  private verdict(face: FaceSummary, name: string, personId: number | undefined): 'ok' | 'done' | string {
    const decisions = this.lib.decisions.listByFace(face.id);
    if (personId !== undefined) {
      if (decisions.some((d) => d.personId === personId && d.decision === 'rejected')) {
        return `you said this face is not ${name}`;
      }
      if (face.personId === personId && face.assignment === 'confirmed') return 'done';
    }
    const other = decisions.find((d) => d.decision === 'confirmed' && d.personId !== personId);
    if (other) {
      const who = this.lib.people.get(other.personId)?.name;
      // Confirmed for another person of the same name (names need not be unique): that is this name.
      if (who && nameKey(who) === nameKey(name)) return 'done';
      return `you confirmed this face as ${who ?? `person ${other.personId}`}`;
    }
    return 'ok';
  }
}
