/**
 * `facenet models [--json]`: the embedding versions (0 = shipped), the active one marked.
 * `facenet models use <version>`: re-embeds every face with that version and re-clusters (rollback/forward).
 */
import { parse, UsageError } from '../args.js';
import { LIBRARY_OPTION, openLibrary } from '../library/session.js';

const OPTIONS = { ...LIBRARY_OPTION, json: { type: 'boolean' } } as const;

interface Metrics {
  heldOut?: { valAtFar1e3?: { before: number; after: number } };
  labels?: { trainFaces: number };
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
      const r = tuning.use(Number(arg));
      if (values.json) console.log(JSON.stringify(r));
      else
        console.log(
          `model version ${r.version} in use (was ${r.previous}): ${r.reembedded} faces re-embedded, ${r.people} people, ${r.unsorted} unsorted`,
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
      const figures = val ? `  held-out VAL@1e-3 ${val.before.toFixed(3)} -> ${val.after.toFixed(3)}` : '';
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
