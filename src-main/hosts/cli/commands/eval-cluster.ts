import {
  DEFAULT_CLUSTER_SETTINGS,
  embedPhotos,
  listIdentityTree,
  listPairsPhotos,
  scoreClustering,
  thresholdRange,
  type ClusterScore,
  type ClusterSettings,
  type EmbeddedTree,
  type LabelledPhoto,
} from '../../../app/evaluation/cluster.js';
import { DEFAULT_CACHE_DIR } from '../../../app/evaluation/embedding-cache.js';
import { withPrimaryFaceAnalyzer } from '../../../app/evaluation/primary-embedding.js';
import { numberOption, parse, pipelineChoice, PIPELINE_OPTIONS, UsageError } from '../args.js';
import { existsSync, statSync } from 'node:fs';
import type { AnalyzerOptions } from '../../../app/pipeline-choice.js';
import { EVAL_LABEL_USAGE, evalLabelCommand } from './eval-label.js';
import { EVAL_SUITE_USAGE, evalSuiteCommand } from './eval-suite.js';

export const EVAL_CLUSTER_USAGE = [
  'facenet eval cluster (--dir <root> | --pairs <pairs.txt> --images <dir>) [--json] [--threshold d] [--sweep from:to:step]',
  '         [--min-cluster-size n] [--min-quality q] [--cache <dir> | --no-cache] [--detector id] [--embedder id]',
  '  <root> holds one folder per identity; each photo is taken as single-subject: only its primary face',
  '  (the large face nearest the centre, as in LFW evaluation) is embedded and labelled with the folder.',
  '  Faces are clustered with the product clusterer (default threshold, or --threshold in squared L2 0..4)',
  '  --max-identities n: only the first n identities in name order (a reproducible subset).',
  '  --shard k/n: only every n-th photo from the k-th (0-based): fills the cache from several processes.',
  '  --pairs/--images: the images an LFW pairs file references, labelled by person (the development set).',
  `  and scored with pairwise and BCubed P/R/F. Embeddings are cached (default ${DEFAULT_CACHE_DIR}),`,
  '  so re-running with another threshold costs no inference.',
  EVAL_LABEL_USAGE,
  EVAL_SUITE_USAGE,
].join('\n');

/** `facenet eval cluster`: clustering quality of the full pipeline on a folder-per-identity tree. */
export async function evalClusterCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      ...PIPELINE_OPTIONS,
      dir: { type: 'string' },
      pairs: { type: 'string' },
      images: { type: 'string' },
      threshold: { type: 'string' },
      sweep: { type: 'string' },
      'min-cluster-size': { type: 'string' },
      'min-quality': { type: 'string' },
      'max-identities': { type: 'string' },
      shard: { type: 'string' },
      cache: { type: 'string' },
      'no-cache': { type: 'boolean' },
      'label-people': { type: 'string' },
      'label-faces': { type: 'string' },
      seed: { type: 'string' },
      suite: { type: 'boolean' },
      shared: { type: 'string' },
      check: { type: 'string', multiple: true },
    },
    EVAL_CLUSTER_USAGE,
  );
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${EVAL_CLUSTER_USAGE}`);
  // A sweep with no set named is the suite: every development set (and --check folder) side by side.
  const suite =
    values.suite === true ||
    (values.sweep !== undefined &&
      values.dir === undefined &&
      values.pairs === undefined &&
      values.images === undefined);
  if (!suite) {
    for (const name of ['shared', 'check'] as const) {
      if (values[name] !== undefined) throw new UsageError(`--${name} goes with --suite\nusage: ${EVAL_SUITE_USAGE}`);
    }
  }
  if (values['label-people'] !== undefined) {
    if (suite) throw new UsageError('--suite and --label-people are separate evaluations');
    return evalLabelCommand({ ...values, check: undefined });
  }
  for (const name of ['label-faces', 'seed'] as const) {
    if (values[name] !== undefined)
      throw new UsageError(`--${name} goes with --label-people\nusage: ${EVAL_LABEL_USAGE}`);
  }
  if (suite) {
    for (const name of ['dir', 'pairs', 'images', 'max-identities', 'shard'] as const) {
      if (values[name] !== undefined) throw new UsageError(`--suite builds its own sets: drop --${name}`);
    }
    if (values.cache && values['no-cache']) throw new UsageError('--cache and --no-cache exclude each other');
    return evalSuiteCommand({
      shared: values.shared,
      checks: values.check ?? [],
      thresholds: values.sweep === undefined ? undefined : parseSweep(values.sweep),
      settings: clusterSettings(values),
      json: values.json ?? false,
      choice: pipelineChoice(values),
      analyzer: analyzerOptions(values),
      cacheDir: values['no-cache'] ? null : values.cache,
    });
  }
  const fromPairs = values.pairs !== undefined || values.images !== undefined;
  if (fromPairs === (values.dir !== undefined)) {
    throw new UsageError(`give either --dir or --pairs with --images\nusage: ${EVAL_CLUSTER_USAGE}`);
  }
  if (fromPairs && !(values.pairs && values.images)) throw new UsageError('--pairs and --images go together');
  const root = (values.dir ?? values.images) as string;
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${root}: not a folder`);
  if (values.pairs && !existsSync(values.pairs)) throw new UsageError(`--pairs ${values.pairs}: no such file`);
  if (values.cache && values['no-cache']) throw new UsageError('--cache and --no-cache exclude each other');
  const settings = clusterSettings(values);
  const sweep = values.sweep === undefined ? undefined : parseSweep(values.sweep);
  let photos;
  try {
    photos = values.pairs ? listPairsPhotos(values.pairs, root) : listIdentityTree(root);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const maxIdentities = numberOption(values['max-identities'], 'max-identities', 1, 1e9);
  if (maxIdentities !== undefined) photos = firstIdentities(photos, maxIdentities);
  if (values.shard !== undefined) photos = shard(photos, values.shard);
  if (photos.length === 0) throw new UsageError(`${root}: no photos (expected one folder per identity)`);
  const choice = pipelineChoice(values);

  const started = performance.now();
  const options = analyzerOptions(values);
  const progress = values.json
    ? undefined
    : (done: number, total: number) => {
        if (done % 25 === 0 || done === total) process.stderr.write(`\r  embedded ${done}/${total} photos`);
      };
  const cacheDir = values['no-cache'] ? null : values.cache;
  const tree: EmbeddedTree = await withPrimaryFaceAnalyzer(choice, options, cacheDir, (analyzer, cache) =>
    embedPhotos(analyzer, photos, root, { cache, onProgress: progress }),
  );
  if (!values.json) process.stderr.write('\n');
  if (tree.faces.length === 0) throw new UsageError(`${root}: no faces found in ${tree.photos} photo(s)`);
  const main = scoreClustering(tree.faces, settings);
  const rows = sweep?.map((t) => scoreClustering(tree.faces, { ...settings, threshold: t }));
  const seconds = (performance.now() - started) / 1000;

  if (values.json) {
    console.log(
      JSON.stringify({
        faces: main.faces,
        identities: main.identities,
        people: main.people,
        pairwise: main.pairwise,
        bcubed: main.bcubed,
        seconds,
        threshold: main.threshold,
        minClusterSize: main.minClusterSize,
        minQuality: main.minQuality,
        identitiesWithPeople: main.identitiesWithPeople,
        unsorted: main.unsorted,
        lowQuality: main.lowQuality,
        clusters: main.clusters,
        photos: tree.photos,
        noFace: tree.noFace,
        fallback: tree.fallback,
        multiFace: tree.multiFace,
        embedSeconds: tree.seconds,
        cacheHits: tree.cacheHits,
        modelVersion: tree.modelVersion,
        ...(rows ? { sweep: rows } : {}),
      }),
    );
    return;
  }
  const f = (v: number) => v.toFixed(4);
  console.log(`Clustering ${values.pairs ?? root}: ${tree.photos} photos, ${main.faces} faces (${tree.modelVersion})`);
  console.log(
    `  threshold ${main.threshold} (squared L2), min cluster size ${main.minClusterSize}, min quality ${main.minQuality}`,
  );
  console.log(`  pairwise   P ${f(main.pairwise.precision)}  R ${f(main.pairwise.recall)}  F ${f(main.pairwise.f)}`);
  console.log(`  BCubed     P ${f(main.bcubed.precision)}  R ${f(main.bcubed.recall)}  F ${f(main.bcubed.f)}`);
  console.log(
    `  people     ${main.people} found vs ${main.identities} identities (${main.identitiesWithPeople} with >= ${main.minClusterSize} faces); ${main.unsorted} faces unsorted (${main.lowQuality} below the quality floor)`,
  );
  console.log(
    `  faces      ${tree.noFace.length} photo(s) without a face, ${tree.fallback} found at a lower score, ${tree.multiFace} with several faces (primary used)`,
  );
  console.log(
    `  time       ${seconds.toFixed(1)} s (embedding ${tree.seconds.toFixed(1)} s, ${tree.cacheHits} cached; clustering ${main.clusterSeconds.toFixed(2)} s)`,
  );
  if (rows) printSweep(rows);
}

function printSweep(rows: ClusterScore[]): void {
  console.log('');
  console.log('  threshold  pairP   pairR   pairF   bcubP   bcubR   bcubF   people');
  for (const r of rows) {
    const c = [r.pairwise.precision, r.pairwise.recall, r.pairwise.f, r.bcubed.precision, r.bcubed.recall, r.bcubed.f];
    console.log(`  ${r.threshold.toFixed(3).padEnd(9)}  ${c.map((v) => v.toFixed(4)).join('  ')}  ${r.people}`);
  }
}

/** --threshold, --min-cluster-size and --min-quality, over the product's defaults. */
function clusterSettings(values: {
  threshold?: string;
  'min-cluster-size'?: string;
  'min-quality'?: string;
}): ClusterSettings {
  const minSize = numberOption(values['min-cluster-size'], 'min-cluster-size', 1, 1_000_000);
  if (minSize !== undefined && !Number.isInteger(minSize))
    throw new UsageError('--min-cluster-size must be an integer');
  return {
    threshold: numberOption(values.threshold, 'threshold', 0, 4) ?? DEFAULT_CLUSTER_SETTINGS.threshold,
    minClusterSize: minSize ?? DEFAULT_CLUSTER_SETTINGS.minClusterSize,
    minQuality: numberOption(values['min-quality'], 'min-quality', 0, 1) ?? DEFAULT_CLUSTER_SETTINGS.minQuality,
  };
}

function analyzerOptions(values: { 'no-flip'?: boolean; 'min-score'?: string; 'min-face'?: string }): AnalyzerOptions {
  return {
    flip: !values['no-flip'],
    minScore: numberOption(values['min-score'], 'min-score', 0, 1),
    minFaceSize: numberOption(values['min-face'], 'min-face', 4, 10_000),
  };
}

/** The photos of the first `n` identities in name (code unit) order. */
function firstIdentities(photos: LabelledPhoto[], n: number): LabelledPhoto[] {
  const names = [...new Set(photos.map((p) => p.identity))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const keep = new Set(names.slice(0, Math.floor(n)));
  return photos.filter((p) => keep.has(p.identity));
}

function shard(photos: LabelledPhoto[], spec: string): LabelledPhoto[] {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const k = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || !(n >= 1) || !(k < n)) throw new UsageError(`--shard must be k/n with 0 <= k < n (got "${spec}")`);
  return photos.filter((_, i) => i % n === k);
}

function parseSweep(value: string): number[] {
  const parts = value.split(':').map(Number);
  const [from, to, step] = parts;
  if (
    parts.length !== 3 ||
    !parts.every(Number.isFinite) ||
    from === undefined ||
    to === undefined ||
    step === undefined ||
    from < 0 ||
    to > 4 ||
    from > to ||
    step <= 0 ||
    (to - from) / step > 10_000
  ) {
    throw new UsageError(`--sweep must be from:to:step with 0 <= from <= to <= 4 and step > 0 (got "${value}")`);
  }
  return thresholdRange(from, to, step);
}
