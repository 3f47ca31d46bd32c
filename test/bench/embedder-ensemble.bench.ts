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
import { embedPrimaryFace, withPrimaryFaceAnalyzer } from '../../src-main/app/evaluation/primary-embedding.js';
import { DEFAULT_CHOICE, parseEmbedders } from '../../src-main/app/pipeline-choice.js';
import { benchPairs, pairDistances, pairScores } from '../helpers/lfw-bench-pairs.js';

const bench = benchPairs(process.argv[2]);
const { pairsFile, images, paths } = bench;
const second = parseEmbedders(process.argv[3] ?? 'faceres');
const weights = (process.argv[4] ?? '0,0.1,0.2,0.3,0.5,0.7,1').split(',').map(Number);

/** Squared L2 of every pair under one embedder. */
async function embedderDistances(embedders: typeof second): Promise<number[]> {
  return withPrimaryFaceAnalyzer({ ...DEFAULT_CHOICE, embedders }, {}, undefined, async (analyzer, cache) => {
    const vectors = new Map<string, Float32Array | undefined>();
    for (const path of paths)
      vectors.set(path, (await embedPrimaryFace(analyzer, join(images, path), cache))?.embedding);
    return pairDistances(bench, (path) => vectors.get(path));
  });
}

const first = await embedderDistances(DEFAULT_CHOICE.embedders);
const other = await embedderDistances(second);
const score = (distances: number[]) => pairScores(bench, distances);
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
