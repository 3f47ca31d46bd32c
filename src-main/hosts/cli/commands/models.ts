/**
 * `facenet models [--json]`: the embedding versions (0 = shipped), the active one marked, from the API's
 * modelVersions (--json prints its ModelVersionDto list, as the app and the server get it).
 * `facenet models use <version>`: re-embeds every face with that version and re-groups (rollback/forward)
 * through the API's useModelVersion, the same path as the app's "Use this version" (restoring the people of a
 * version the user comes back to unchanged).
 */
import type { ModelVersionDto, RateDto } from '../../../../src-shared/api.js';
import { heldOutSample } from '../../../../src-shared/held-out-sample.js';
import { plural } from '../../../../src-shared/words.js';
import { parse, UsageError } from '../args.js';
import { LIBRARY_OPTION, openLibrary } from '../library/session.js';

const OPTIONS = { ...LIBRARY_OPTION, json: { type: 'boolean' } } as const;

/** A rate to three decimals; 'n/a' when it was not measured (null in the DTO). */
const rate = (x: RateDto) => (x === null ? 'n/a' : x.toFixed(3));

/** One line of the list: `*` for the version in use, then when and from what it was trained, with its VAL. */
export function formatModelVersion(v: ModelVersionDto): string {
  const r = v.report;
  const sample = r && heldOutSample(r.labels);
  const figures =
    r && sample
      ? `  held-out VAL@1e-3 ${rate(r.heldOut.valAtFar1e3.before)} -> ${rate(r.heldOut.valAtFar1e3.after)} ${sample.words}` +
        (sample.tooSmall ? ' (too few to mean much)' : '')
      : '';
  const what =
    v.version === 0
      ? 'shipped'
      : `${new Date(v.createdAt ?? 0).toISOString()}  from ${v.parent}${v.harmonic ? '  harmonic' : ''}${figures}`;
  return `${v.active ? '*' : ' '} ${v.version}  ${what}`;
}

export async function modelsCommand(argv: string[]): Promise<void> {
  const usage = 'facenet models [--library <path>] [--json] | facenet models use <version>';
  const { values, positionals } = parse(argv, OPTIONS, usage);
  const [sub, arg, ...extra] = positionals;
  if (extra.length > 0 || (sub !== undefined && sub !== 'use'))
    throw new UsageError(`unexpected argument "${extra[0] ?? sub}"\nusage: ${usage}`);
  if (sub === 'use' && (arg === undefined || !/^\d+$/.test(arg)))
    throw new UsageError(`models use needs a version number\nusage: ${usage}`);
  const session = openLibrary(values.library);
  try {
    if (sub === 'use') {
      const r = await session.api.useModelVersion({ version: Number(arg) });
      if (values.json) console.log(JSON.stringify(r));
      else if (r.undo === null)
        console.log(
          `model version ${r.version} is already in use: nothing changed (${r.people} people, ${r.unsorted} unsorted)`,
        );
      else
        console.log(
          `model version ${r.version} in use (was ${r.previous}): ${r.reembedded} faces re-embedded, ` +
            `${plural(r.facesMoved, 'face')} changed person${r.restoredEarlier ? ' (people as they were with this version)' : ''}, ` +
            `${r.people} people, ${r.unsorted} unsorted`,
        );
      return;
    }
    const list = await session.api.modelVersions();
    if (values.json) console.log(JSON.stringify(list));
    else for (const v of list) console.log(formatModelVersion(v));
  } finally {
    await session.close();
  }
}
