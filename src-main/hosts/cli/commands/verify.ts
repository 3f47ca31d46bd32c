import { squaredL2 } from '../../../../src-shared/vectors.js';
import { primaryFaceIndex } from '../evaluation/primary-face.js';
import { decodePhoto } from '../../../engine/vision/decode.js';
import type { FaceAnalyzer } from '../../../engine/vision/pipeline.js';
import { createFaceAnalyzer, verificationThreshold } from '../../../engine/vision/registry.js';
import { numberOption, parse, pipelineChoice, PIPELINE_OPTIONS, UsageError } from '../args.js';

const USAGE = 'facenet verify <imageA> <imageB> [--json] [--threshold d] [--no-flip] [--embedder id]';

/** `facenet verify`: FaceNet's squared L2 distance between the main faces of two photos. */
export async function verifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { ...PIPELINE_OPTIONS, threshold: { type: 'string' } }, USAGE);
  if (positionals.length !== 2) throw new UsageError(`expected two images\nusage: ${USAGE}`);
  const choice = pipelineChoice(values);
  const analyzer = await createFaceAnalyzer(choice, {
    flip: !values['no-flip'],
    minScore: numberOption(values['min-score'], 'min-score', 0, 1),
  });
  const threshold =
    numberOption(values.threshold, 'threshold', 0, 4) ?? verificationThreshold(choice, !values['no-flip']);
  const [a, b] = await Promise.all(positionals.map((p) => mainFaceEmbedding(analyzer, p)));
  const distance = squaredL2(a!, b!);
  const same = distance <= threshold;
  if (values.json) {
    console.log(JSON.stringify({ imageA: positionals[0], imageB: positionals[1], distance, threshold, same }));
    return;
  }
  console.log(
    `distance ${distance.toFixed(4)} (squared L2, 0..4), threshold ${threshold.toFixed(4)}: ${same ? 'same person' : 'different people'}`,
  );
}

async function mainFaceEmbedding(analyzer: FaceAnalyzer, path: string): Promise<Float32Array> {
  const photo = await decodePhoto(path);
  const faces = await analyzer.detect(photo.image);
  const index = primaryFaceIndex(
    faces.map((f) => f.box),
    photo.image.width,
    photo.image.height,
  );
  if (index < 0) throw new UsageError(`no face found in ${path}`);
  const [face] = await analyzer.embedDetections(photo.image, [faces[index]!]);
  return face!.embedding;
}
