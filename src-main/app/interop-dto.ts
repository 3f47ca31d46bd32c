/** Export and import results as the contract's DTOs (src-shared/api.ts). */
import type { ExportResultDto, ImportResultDto } from '../../src-shared/api.js';
import type { ExportResult } from '../engine/interop/export-service.js';
import type { ImportResult } from '../engine/interop/import-service.js';

export function exportResultDto(r: ExportResult): ExportResultDto {
  return {
    format: r.format,
    people: r.people,
    photos: r.photos,
    faces: r.faces,
    out: r.out,
    written: r.written,
    reused: r.reused,
    files: [...r.files],
    errors: r.errors.map((e) => ({ path: e.path, error: e.error })),
  };
}

/** An import's counts, with the re-cluster that followed it (null when nothing changed or it was not asked). */
export function importResultDto(r: ImportResult, reclustered: ImportResultDto['reclustered']): ImportResultDto {
  return {
    photos: r.photos,
    photosWithRegions: r.photosWithRegions,
    regions: r.regions,
    unnamedRegions: r.unnamedRegions,
    matched: r.matched,
    created: r.created,
    alreadyConfirmed: r.alreadyConfirmed,
    people: r.people,
    newPeople: r.newPeople,
    conflicts: r.conflicts.map((c) => ({ path: c.path, name: c.name, reason: c.reason })),
    notIndexed: [...r.notIndexed],
    errors: r.errors.map((e) => ({ path: e.path, error: e.error })),
    reclustered,
  };
}
