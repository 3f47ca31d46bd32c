import { evaluateLfw } from '../../../app/evaluation/lfw.js';
import { withPrimaryFaceAnalyzer } from '../../../app/evaluation/primary-embedding.js';
import { numberOption, parse, pipelineChoice, PIPELINE_OPTIONS, UsageError } from '../args.js';
import { EVAL_CLUSTER_USAGE, evalClusterCommand } from './eval-cluster.js';

const USAGE =
  'facenet eval lfw --pairs <pairs.txt> --images <dir> [--json] [--no-flip] [--detector id] [--embedder id] [--cache <dir>]';

/** `facenet eval lfw|cluster`: evaluations of the full pipeline. */
export async function evalCommand(argv: string[]): Promise<void> {
  const [kind, ...rest] = argv;
  if (kind === 'cluster') return evalClusterCommand(rest);
  if (kind !== 'lfw') {
    throw new UsageError(
      `unknown evaluation "${kind ?? ''}" (choose lfw or cluster)\nusage: ${USAGE}\n       ${EVAL_CLUSTER_USAGE}`,
    );
  }
  const { values } = parse(
    rest,
    { ...PIPELINE_OPTIONS, pairs: { type: 'string' }, images: { type: 'string' }, cache: { type: 'string' } },
    USAGE,
  );
  if (!values.pairs || !values.images) throw new UsageError(`--pairs and --images are required\nusage: ${USAGE}`);
  const { pairs, images } = values;
  const options = {
    flip: !values['no-flip'],
    refineLandmarks: values.refine ?? false,
    minScore: numberOption(values['min-score'], 'min-score', 0, 1),
    minFaceSize: numberOption(values['min-face'], 'min-face', 4, 10_000),
  };
  const progress = values.json
    ? undefined
    : (done: number, total: number) => {
        if (done % 50 === 0 || done === total) process.stderr.write(`\r  embedded ${done}/${total} images`);
      };
  // The cache is opt-in here: a cached run reports no meaningful faces/s.
  const result = await withPrimaryFaceAnalyzer(
    pipelineChoice(values),
    options,
    values.cache ?? null,
    (analyzer, cache) => evaluateLfw(analyzer, pairs, images, progress, cache),
  );
  if (values.json) {
    console.log(JSON.stringify(result));
    return;
  }
  process.stderr.write('\n');
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  console.log(`LFW ${result.pairs} pairs, ${result.images} images (${result.modelVersion})`);
  console.log(`  accuracy        ${pct(result.accuracy)} ± ${pct(result.accuracyStdErr)} (10-fold)`);
  console.log(`  VAL @ FAR=1e-3  ${pct(result.valAtFar1e3)}`);
  console.log(`  threshold       ${result.threshold.toFixed(4)} (squared L2)`);
  console.log(`  no face found   ${result.detectFailures} image(s); ${result.lowScoreDetections} needed a lower score`);
  console.log(`  speed           ${result.facesPerSecond.toFixed(1)} faces/s (${result.seconds.toFixed(1)} s)`);
}
