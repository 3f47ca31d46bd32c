import { verifyPhotos } from '../../../app/single-photo.js';
import { numberOption, parse, pipelineChoice, PIPELINE_OPTIONS, UsageError } from '../args.js';

const USAGE = 'facenet verify <imageA> <imageB> [--json] [--threshold d] [--no-flip] [--embedder id]';

/** `facenet verify`: FaceNet's squared L2 distance between the main faces of two photos. */
export async function verifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { ...PIPELINE_OPTIONS, threshold: { type: 'string' } }, USAGE);
  if (positionals.length !== 2) throw new UsageError(`expected two images\nusage: ${USAGE}`);
  const { distance, threshold, same } = await verifyPhotos(
    [positionals[0]!, positionals[1]!],
    pipelineChoice(values),
    { flip: !values['no-flip'], minScore: numberOption(values['min-score'], 'min-score', 0, 1) },
    numberOption(values.threshold, 'threshold', 0, 4),
  );
  if (values.json) {
    console.log(JSON.stringify({ imageA: positionals[0], imageB: positionals[1], distance, threshold, same }));
    return;
  }
  console.log(
    `distance ${distance.toFixed(4)} (squared L2, 0..4), threshold ${threshold.toFixed(4)}: ${same ? 'same person' : 'different people'}`,
  );
}
