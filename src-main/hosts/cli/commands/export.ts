import { resolve } from 'node:path';
import {
  EXPORT_FORMATS,
  isOneOf,
  LINK_MODES,
  SIDECAR_NAMINGS,
  type ExportResultDto,
} from '../../../../src-shared/api.js';
import { parse, UsageError } from '../args.js';
import { resolvePerson } from '../library/person-ref.js';
import { LIBRARY_OPTION, openLibrary } from '../library/session.js';
import { listProblems, ReportedFailure, showTaskProgress } from './task-progress.js';

const USAGE =
  'facenet export --format folders|csv|json|xmp [--out <dir>] [--people <person>…] [--link symlink|hardlink|copy]\n' +
  '       [--sidecar photo.jpg.xmp|photo.xmp] [--confirmed-only] [--json] [--library <path>]';

/**
 * `facenet export`: the people (default: every named person) as per-person folders of links or copies,
 * a CSV/JSON manifest in --out, or XMP face regions in sidecars next to the photos (merged, never
 * clobbered; the photos themselves are never written). People are ids or names, after --people or as
 * arguments. Partial failures are listed and give exit code 1.
 */
export async function exportCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      ...LIBRARY_OPTION,
      format: { type: 'string' },
      out: { type: 'string' },
      people: { type: 'string', multiple: true },
      link: { type: 'string' },
      sidecar: { type: 'string' },
      'confirmed-only': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  const format = values.format;
  if (!format) throw new UsageError(`--format is required\nusage: ${USAGE}`);
  if (!isOneOf(EXPORT_FORMATS, format)) {
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got "${format}")`);
  }
  if (format === 'xmp' && values.out !== undefined) {
    throw new UsageError('xmp writes sidecars next to the photos: --out is not used with --format xmp');
  }
  if (format !== 'xmp' && !values.out) throw new UsageError(`--format ${format} needs --out <dir>\nusage: ${USAGE}`);
  if (values.link !== undefined && format !== 'folders') throw new UsageError('--link applies to --format folders');
  const link = values.link;
  if (link !== undefined && !isOneOf(LINK_MODES, link)) {
    throw new UsageError(`--link must be one of ${LINK_MODES.join(', ')} (got "${values.link}")`);
  }
  if (values.sidecar !== undefined && format !== 'xmp') throw new UsageError('--sidecar applies to --format xmp');
  const sidecar = values.sidecar;
  if (sidecar !== undefined && !isOneOf(SIDECAR_NAMINGS, sidecar)) {
    throw new UsageError(`--sidecar must be one of ${SIDECAR_NAMINGS.join(', ')} (got "${values.sidecar}")`);
  }
  const refs = [...(values.people ?? []), ...positionals];

  const session = openLibrary(values.library);
  try {
    const { api, engine } = session;
    const personIds: number[] = [];
    for (const ref of refs) personIds.push((await resolvePerson(api, ref)).id);
    const stop = values.json ? () => undefined : showTaskProgress(engine);
    let result: ExportResultDto;
    try {
      result = await api.exportPeople({
        format,
        ...(values.out !== undefined ? { out: resolve(values.out) } : {}),
        ...(personIds.length > 0 ? { personIds } : {}),
        ...(link !== undefined ? { link } : {}),
        ...(sidecar !== undefined ? { sidecar } : {}),
        ...(values['confirmed-only'] ? { confirmedOnly: true } : {}),
      });
    } finally {
      stop();
    }
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else console.log(summary(result));
    if (result.errors.length > 0) {
      if (!values.json) console.error(listProblems(result.errors.map((e) => `${e.path}: ${e.error}`)));
      throw new ReportedFailure(`${result.errors.length} photo(s) could not be exported`);
    }
  } finally {
    await session.close();
  }
}

function summary(r: ExportResultDto): string {
  const what = `${r.faces} faces of ${r.people} people in ${r.photos} photos`;
  if (r.format === 'folders') {
    const reused = r.reused > 0 ? ` (${r.reused} already there from an earlier export)` : '';
    return `exported ${what} to ${r.files.length} folders in ${r.out}: ${r.written} new entries${reused}`;
  }
  if (r.format === 'xmp') return `wrote the face regions of ${what} to ${r.written} sidecars next to the photos`;
  return `exported ${what} to ${r.files[0]}`;
}
