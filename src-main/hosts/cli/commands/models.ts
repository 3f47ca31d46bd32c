/**
 * `facenet models [--json]`: the embedding versions (0 = shipped), the active one marked.
 * `facenet models use <version>`: re-embeds every face with that version and re-groups (rollback/forward)
 * through the API's useModelVersion, the same path as the app's "Use this version" (restoring the people of a
 * version the user comes back to unchanged).
 */
import { heldOutSample } from '../../../../src-shared/held-out-sample.js';
import { parse, UsageError } from '../args.js';
import { LIBRARY_OPTION, openLibrary } from '../library/session.js';

const OPTIONS = { ...LIBRARY_OPTION, json: { type: 'boolean' } } as const;

interface Metrics {
  heldOut?: { valAtFar1e3?: { before: number; after: number } };
  labels?: { heldOutFaces?: number; heldOutPeople?: number };
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
    const tuning = session.engine.tuning;
    if (sub === 'use') {
      const r = await session.api.useModelVersion({ version: Number(arg) });
      if (values.json) console.log(JSON.stringify(r));
      else
        console.log(
          `model version ${r.version} in use (was ${r.previous}): ${r.reembedded} faces re-embedded, ` +
            `${r.facesMoved} ${r.facesMoved === 1 ? 'face' : 'faces'} changed person${r.restoredEarlier ? ' (people as they were with this version)' : ''}, ` +
            `${r.people} people, ${r.unsorted} unsorted`,
        );
      return;
    }
    const list = tuning.list();
    if (values.json) {
      console.log(JSON.stringify(list));
      return;
    }
    for (const v of list) {
      const m = v.metrics as Metrics | null;
      const val = m?.heldOut?.valAtFar1e3;
      const sample = heldOutSample({
        heldOutFaces: m?.labels?.heldOutFaces ?? 0,
        heldOutPeople: m?.labels?.heldOutPeople ?? 0,
      });
      const figures = val
        ? `  held-out VAL@1e-3 ${val.before.toFixed(3)} -> ${val.after.toFixed(3)} ${sample.words}` +
          (sample.tooSmall ? ' (too few to mean much)' : '')
        : '';
      const what =
        v.id === 0
          ? 'shipped'
          : `${new Date(v.createdAt).toISOString()}  from ${v.parent}${v.harmonic ? '  harmonic' : ''}${figures}`;
      console.log(`${v.active ? '*' : ' '} ${v.id}  ${what}`);
    }
  } finally {
    await session.close();
  }
}
