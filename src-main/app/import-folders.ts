/**
 * An import over several folders that one bad folder cannot spoil: all folders in one pass first, and when
 * that fails for a reason that is not the user's (permissions, a disk gone), each folder on its own, the
 * failing ones reported in `errors` with a plain reason and the others imported.
 */
import { ApiError } from '../../src-shared/api.js';
import { EngineError } from '../engine/errors.js';
import { emptyImportResult, type ImportResult } from '../engine/interop/import-service.js';
import { toApiError } from './api-errors.js';
import { plainProblem } from './plain-errors.js';

export async function importFolders(
  folders: string[],
  run: (roots: string[]) => Promise<ImportResult>,
): Promise<ImportResult> {
  try {
    return await run(folders);
  } catch (error) {
    // Only user errors fail the whole call.
    if (error instanceof ApiError || error instanceof EngineError || folders.length === 0) throw error;
    return importEach(folders, run);
  }
}

/** The folders imported one at a time; a folder that fails is an entry in `errors`, the others go on. */
async function importEach(folders: string[], run: (roots: string[]) => Promise<ImportResult>): Promise<ImportResult> {
  let total: ImportResult | null = null;
  const failed: ImportResult['errors'] = [];
  for (const folder of folders) {
    let r: ImportResult;
    try {
      r = await run([folder]);
    } catch (error) {
      failed.push({ path: folder, error: folderError(error) });
      continue;
    }
    total = total === null ? { ...r } : mergeImports(total, r);
  }
  const base: ImportResult = total ?? emptyImportResult();
  return { ...base, errors: [...base.errors, ...failed] };
}

/** Two folders' results as one (people: the sum, so a person named in both folders counts twice). */
function mergeImports(a: ImportResult, b: ImportResult): ImportResult {
  const sum = (k: keyof ImportResult) => (a[k] as number) + (b[k] as number);
  return {
    photos: sum('photos'),
    photosWithRegions: sum('photosWithRegions'),
    regions: sum('regions'),
    unnamedRegions: sum('unnamedRegions'),
    matched: sum('matched'),
    created: sum('created'),
    alreadyConfirmed: sum('alreadyConfirmed'),
    people: sum('people'),
    newPeople: sum('newPeople'),
    conflicts: [...a.conflicts, ...b.conflicts],
    notIndexed: [...a.notIndexed, ...b.notIndexed],
    errors: [...a.errors, ...b.errors],
  };
}

/** Why a folder could not be imported, without internals (the full error is logged). */
function folderError(error: unknown): string {
  if ((error instanceof ApiError && error.code !== 'internal') || error instanceof EngineError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  const plain = plainProblem(error);
  if (plain) return plain.message;
  if (code === 'EACCES' || code === 'EPERM')
    return 'the folder (or a folder inside it) cannot be read: permission denied';
  if (code === 'ENOENT') return 'the folder (or a file inside it) is gone';
  return toApiError(error).message;
}
