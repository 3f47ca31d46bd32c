import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CACHE_DIR } from '../../../app/evaluation/embedding-cache.js';
import {
  simulateLabelling,
  type GroupingScore,
  type SimulationResult,
} from '../../../app/evaluation/label-simulation.js';
import { numberOption, pipelineChoice, UsageError } from '../args.js';
import { ProgressBar } from '../progress-bar.js';

export const EVAL_LABEL_USAGE = [
  'facenet eval cluster --dir <root> --label-people <m> --label-faces <k> [--seed s] [--threshold d] [--json]',
  '         [--cache <dir> | --no-cache] [--detector id] [--embedder id]',
  "  Simulates a user naming people, through the app's library and people code: a temporary library",
  '  (deleted afterwards) indexes <root> as `facenet index` does, groups it (recluster at the library',
  '  threshold, or --threshold), then for the m identities with most faces (ties by folder name) confirms k',
  '  faces each (chosen with --seed, default 1) into the person holding most of them (a new person when none',
  '  is in a person, or that person was already named) and names it after the folder; then groups again.',
  "  Only each photo's primary face (the large face nearest the centre) is labelled with its folder and",
  '  scored; other faces are unlabelled strangers: grouped like all faces, excluded from every metric.',
  '  Prints before/after (BCubed and pairwise P/R/F, people) and named (people, faces, precision: share of',
  "  named people's faces of their identity, recall: share of each named identity's faces in its person).",
  '  --json adds, per named person, faces of other identities it holds and faces of its own it lost, with',
  '  their squared L2 to the confirmed faces, and the identities placed differently after the labels.',
  `  The indexed library is cached per root and pipeline in <cache>/libraries (default ${join(DEFAULT_CACHE_DIR, 'libraries')}).`,
].join('\n');

const NOT_WITH_LABELS = [
  'pairs',
  'images',
  'sweep',
  'min-cluster-size',
  'min-quality',
  'max-identities',
  'shard',
  'no-flip',
  'refine',
  'min-score',
  'min-face',
];

/** `facenet eval cluster --label-people m --label-faces k`: the labelling simulation (src-main/app/evaluation/label-simulation.ts). */
export async function evalLabelCommand(values: Record<string, string | boolean | undefined>): Promise<void> {
  const given = NOT_WITH_LABELS.filter((name) => values[name] !== undefined);
  if (given.length > 0) {
    throw new UsageError(`--${given[0]} does not apply to --label-people\nusage: ${EVAL_LABEL_USAGE}`);
  }
  const dir = values.dir;
  if (typeof dir !== 'string') throw new UsageError(`--label-people needs --dir\nusage: ${EVAL_LABEL_USAGE}`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a folder`);
  if (values.cache && values['no-cache']) throw new UsageError('--cache and --no-cache exclude each other');
  const integer = (name: string, min: number, fallback?: number): number => {
    const n = numberOption(values[name] as string | undefined, name, min, 1e9) ?? fallback;
    if (n === undefined) throw new UsageError(`--${name} is required with --label-people\nusage: ${EVAL_LABEL_USAGE}`);
    if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer`);
    return n;
  };
  const labelPeople = integer('label-people', 0);
  const labelFaces = integer('label-faces', 1);
  const seed = integer('seed', 0, 1);
  const threshold = numberOption(values.threshold as string | undefined, 'threshold', 0.01, 4);
  const detector = values.detector as string | undefined;
  const embedder = values.embedder as string | undefined;
  if (detector || embedder) pipelineChoice({ detector, embedder }); // validates the ids
  const json = values.json === true;
  const bar = json ? undefined : new ProgressBar();
  let result: SimulationResult;
  try {
    result = await simulateLabelling({
      root: dir,
      labelPeople,
      labelFaces,
      seed,
      threshold,
      detector,
      embedder,
      cacheDir: values['no-cache']
        ? null
        : typeof values.cache === 'string'
          ? join(values.cache, 'libraries')
          : undefined,
      onIndexProgress: (p) => {
        if (p.total > 0) bar?.update(p);
      },
    });
  } finally {
    bar?.finish();
  }
  if (result.faces === 0) throw new UsageError(`${dir}: no faces found in ${result.photos} photo(s)`);
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  printResult(result);
}

function printResult(r: SimulationResult): void {
  const f = (v: number) => v.toFixed(4);
  console.log(
    `Labelling ${r.root}: ${r.photos} photos, ${r.faces} labelled faces of ${r.identities} identities ` +
      `(${r.strangerFaces} other faces not scored, ${r.noFace} photos without a face) (${r.modelVersion ?? '?'})`,
  );
  console.log(
    `  threshold ${r.threshold}; named ${r.labelPeople} identities, ${r.labelFaces} confirmed faces each, seed ${r.seed}`,
  );
  console.log('            bcubP   bcubR   bcubF   pairP   pairR   pairF   people');
  const row = (name: string, s: GroupingScore) =>
    console.log(
      `  ${name.padEnd(8)}  ${[s.bcubed.precision, s.bcubed.recall, s.bcubed.f, s.pairwise.precision, s.pairwise.recall, s.pairwise.f].map(f).join('  ')}  ${s.people}`,
    );
  row('before', r.before);
  row('after', r.after);
  console.log(
    `  named     ${r.named.people} people holding ${r.named.faces} faces: precision ${f(r.named.precision)}, recall ${f(r.named.recall)}`,
  );
  for (const p of r.namedPeople.filter((p) => p.intruders.length > 0)) {
    const who = new Map<string, number>();
    for (const i of p.intruders) who.set(i.identity, (who.get(i.identity) ?? 0) + 1);
    console.log(
      `  impure    ${p.name} (#${p.personId}, ${p.action}): ${p.own} own of ${p.faces}; ` +
        [...who].map(([id, n]) => `${n} of ${id}`).join(', ') +
        ` (nearest confirmed ${p.intruders[0]!.nearestConfirmed.toFixed(3)})`,
    );
  }
  for (const p of r.namedPeople.filter((p) => p.lost.length > 0)) {
    const to = p.lostTo.map((t) => `#${t.personId} (${t.lost}, average linkage ${t.average.toFixed(3)})`);
    const unsorted = p.lost.filter((l) => l.now === null).length;
    console.log(
      `  lost      ${p.name} (#${p.personId}): ${p.lost.length} of its faces left it: ` +
        [...to, ...(unsorted > 0 ? [`Unsorted (${unsorted})`] : [])].join(', '),
    );
  }
  console.log(`  changed   ${r.changed.length} identities placed differently after the labels`);
  console.log(
    `  time      ${r.seconds.total.toFixed(1)} s (index ${r.seconds.index.toFixed(1)} s, cache ${r.indexCache}; simulate ${r.seconds.simulate.toFixed(1)} s)`,
  );
}
