import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { isOneOf, SIDECAR_NAMINGS, type ImportResultDto } from '../../../../src-shared/api.js';
import { parse, UsageError } from '../args.js';
import { indexLibrary } from '../library/indexing.js';
import { LIBRARY_OPTION, openLibrary } from '../library/session.js';
import { listProblems, ReportedFailure, showTaskProgress } from './task-progress.js';

const USAGE =
  'facenet import xmp <folder…> [--index] [--sidecar photo.jpg.xmp|photo.xmp] [--no-recluster] [--json] [--library <path>]';

/**
 * `facenet import xmp <folder…>`: names from the MWG / Microsoft face regions of the photos under the
 * folders (sidecars and embedded XMP, as digiKam, Lightroom, Picasa write them) become confirmed faces of
 * people with those names; then the library is re-clustered around them (unless --no-recluster). The folders
 * must be in the library and indexed: --index adds and indexes them first. Photos are only read.
 */
export async function importCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      ...LIBRARY_OPTION,
      index: { type: 'boolean' },
      sidecar: { type: 'string' },
      'no-recluster': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  const [kind, ...folders] = positionals;
  if (kind !== 'xmp') {
    throw new UsageError(`${kind ? `unknown import kind "${kind}"` : 'what to import?'}\nusage: ${USAGE}`);
  }
  if (folders.length === 0) throw new UsageError(`give at least one folder\nusage: ${USAGE}`);
  const sidecar = values.sidecar;
  if (sidecar !== undefined && !isOneOf(SIDECAR_NAMINGS, sidecar)) {
    throw new UsageError(`--sidecar must be one of ${SIDECAR_NAMINGS.join(', ')} (got "${values.sidecar}")`);
  }
  const reals = folders.map((f) => {
    try {
      return realpathSync(resolve(f));
    } catch {
      throw new UsageError(`not a folder: ${f}`);
    }
  });

  const session = openLibrary(values.library, values.index === true);
  try {
    const { api, engine } = session;
    const libraryFolders = (await api.listFolders()).map((f) => f.path);
    const outside = reals.filter(
      (r) => !libraryFolders.some((l) => r === l || r.startsWith(l.endsWith(sep) ? l : l + sep)),
    );
    if (values.index) {
      for (const folder of outside) await api.addFolder({ path: folder });
      await indexLibrary(session, values.json === true);
    } else if (outside.length > 0) {
      throw new UsageError(
        `not in the library: ${outside.join(', ')}\n` +
          `index the photos first (facenet index <folder>), or pass --index to do both`,
      );
    }
    const stop = values.json ? () => undefined : showTaskProgress(engine);
    let result: ImportResultDto;
    try {
      result = await api.importXmp({
        folders: reals,
        ...(sidecar !== undefined ? { sidecar } : {}),
        ...(values['no-recluster'] ? { recluster: false } : {}),
      });
    } finally {
      stop();
    }
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else report(result);
    if (result.errors.length > 0) throw new ReportedFailure(`${result.errors.length} photo(s) could not be read`);
  } finally {
    await session.close();
  }
}

function report(r: ImportResultDto): void {
  console.log(
    `read ${r.regions} named face regions in ${r.photosWithRegions} of ${r.photos} indexed photos` +
      (r.unnamedRegions > 0 ? ` (${r.unnamedRegions} unnamed regions ignored)` : ''),
  );
  console.log(
    `${r.matched} matched to detected faces, ${r.created} new faces, ${r.alreadyConfirmed} already confirmed; ` +
      `${r.people} people (${r.newPeople} new)`,
  );
  if (r.reclustered) console.log(`re-clustered around the imported names: ${r.reclustered.people} people`);
  if (r.conflicts.length > 0) {
    console.log(`${r.conflicts.length} region(s) left alone:`);
    console.log(listProblems(r.conflicts.map((c) => `${c.path}: ${c.name}: ${c.reason}`)));
  }
  if (r.notIndexed.length > 0) {
    console.error(
      `${r.notIndexed.length} photo(s) with face regions are not indexed yet; index them (facenet index <folder>) and import again:`,
    );
    console.error(listProblems(r.notIndexed));
  }
  if (r.errors.length > 0) console.error(listProblems(r.errors.map((e) => `${e.path}: ${e.error}`)));
}
