/**
 * `npx tsx test/bench/embedder-ensemble.bench.ts [pairs file] [second embedder] [weights]`: LFW verification of
 * the default embedder (dlib), a second one (default faceres) and their weighted concatenations, on one run of
 * embeddings per embedder (the eval cache, as `facenet eval lfw --cache` fills it; a miss is embedded and
 * stored). Concatenating unit vectors a and w·b and re-normalising gives the squared L2 (d_a + w²·d_b)/(1 + w²),
 * so every weight is scored from the two sets of pair distances with the CLI's own metrics: 10-fold accuracy
 * (threshold chosen on nine folds) and VAL at FAR 1e-3.
 *
 * Defaults: ../shared/lfw-dev/pairsDevTrain.txt (the development pairs: choose there, report pairs.txt after),
 * weights 0,0.1,0.2,0.3,0.5,0.7,1 and the second embedder alone. Prints one JSON object.
 */
import { join } from 'node:path';
import { squaredL2 } from '../../src-shared/vectors.js';
import { kFoldAccuracy, valAtFar } from '../../src-shared/verification.js';
import { embedPrimaryFace, withPrimaryFaceAnalyzer } from '../../src-main/app/evaluation/primary-embedding.js';
import { DEFAULT_CHOICE, parseEmbedders } from '../../src-main/app/pipeline-choice.js';
import { benchPairs } from '../helpers/lfw-bench-pairs.js';

const { pairsFile, images, pairs, paths } = benchPairs(process.argv[2]);
const second = parseEmbedders(process.argv[3] ?? 'faceres');
const weights = (process.argv[4] ?? '0,0.1,0.2,0.3,0.5,0.7,1').split(',').map(Number);

/** Squared L2 of every pair under one embedder (4, the maximum, where a face is missing: as `eval lfw`). */
async function pairDistances(embedders: typeof second): Promise<number[]> {
  return withPrimaryFaceAnalyzer({ ...DEFAULT_CHOICE, embedders }, {}, undefined, async (analyzer, cache) => {
    const vectors = new Map<string, Float32Array | undefined>();
    for (const path of paths)
      vectors.set(path, (await embedPrimaryFace(analyzer, join(images, path), cache))?.embedding);
    return pairs.map((p) => {
      const a = vectors.get(p.a.path);
      const b = vectors.get(p.b.path);
      return a && b ? squaredL2(a, b) : 4;
    });
  });
}

const first = await pairDistances(DEFAULT_CHOICE.embedders);
const other = await pairDistances(second);
const score = (distances: number[]) => {
  const labelled = pairs.map((p, i) => ({ distance: distances[i]!, same: p.same, fold: p.fold }));
  const same = labelled.filter((p) => p.same).map((p) => p.distance);
  const different = labelled.filter((p) => !p.same).map((p) => p.distance);
  return { accuracy: kFoldAccuracy(labelled).accuracy, valAtFar1e3: valAtFar(same, different, 1e-3).val };
};
const rows = [
  ...weights.map((w) => ({
    weight: w,
    ...score(first.map((d, i) => (d + w * w * other[i]!) / (1 + w * w))),
  })),
  { weight: 'second alone', ...score(other) },
];
console.log(
  JSON.stringify({
    pairs: pairsFile,
    first: DEFAULT_CHOICE.embedders.join('+'),
    second: second.join('+'),
    images: paths.length,
    rows,
  }),
);
