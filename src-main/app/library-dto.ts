/** The library's folders, failures and status as the contract's DTOs (src-shared/api.ts). */
import type {
  FolderDto,
  IndexProgressDto,
  PhotoErrorDto,
  PhotoListItemDto,
  PhotoPageDto,
  StatusDto,
} from '../../src-shared/api.js';
import type { LibraryStatus, PhotoFailure } from '../engine/library/library-service.js';
import type { LibraryFolder, PhotoListing, PhotoPage } from '../engine/storage/types.js';
import type { activeProviders } from '../engine/vision/onnx-session.js';
import type { InstalledChoices } from '../engine/vision/registry.js';

export function folderDto(f: LibraryFolder): FolderDto {
  return { id: f.id, path: f.path, addedAt: f.addedAt };
}

export function photoListItemDto(p: PhotoListing): PhotoListItemDto {
  return {
    id: p.id,
    width: p.width,
    height: p.height,
    takenAt: p.takenAt,
    capturedAt: p.capturedAt,
    faceCount: p.faceCount,
  };
}

export function photoPageDto(page: PhotoPage, offset: number): PhotoPageDto {
  return { total: page.total, offset, photos: page.photos.map(photoListItemDto) };
}

export function photoErrorDto(e: PhotoFailure): PhotoErrorDto {
  return { photoId: e.photoId, path: e.path, reason: e.reason, detail: e.detail, indexedAt: e.indexedAt };
}

/** What the status combines: the library's counts, the people's, the indexing run, the models in use. */
export interface StatusParts {
  library: LibraryStatus;
  people: { visible: number; named: number; unsortedFaces: number; ignoredFaces: number };
  indexing: IndexProgressDto | null;
  providers: ReturnType<typeof activeProviders>;
  modelVersion: string;
  choices: InstalledChoices;
}

export function statusDto(s: StatusParts): StatusDto {
  const l = s.library;
  return {
    folders: l.folders,
    photos: { ...l.photos },
    faces: l.faces,
    people: s.people.visible,
    namedPeople: s.people.named,
    unsortedFaces: s.people.unsortedFaces,
    ignoredFaces: s.people.ignoredFaces,
    decisions: l.decisions,
    orphanedDecisions: l.orphanedDecisions,
    offline: { photos: l.offline.photos, folders: [...l.offline.folders] },
    formats: l.formats.map((f) => ({ ...f })),
    skipped: l.skipped.map((k) => ({ ...k, examples: [...k.examples] })),
    indexing: s.indexing,
    providers: s.providers.map((p) => ({ model: p.model, provider: p.provider, fallbacks: [...p.fallbacks] })),
    modelVersion: s.modelVersion,
    choices: s.choices,
  };
}
