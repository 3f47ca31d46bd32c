/**
 * Grouping candidates on the development sets (not a test): each candidate (FaceClusterer options) is swept
 * over thresholds and judged by the selection rule of docs/clustering-threshold.md (highest mean BCubed F
 * over the development sets). Embeddings come from the eval cache (fill it once with
 * `facenet eval cluster --suite`); prints one JSON line per candidate, then a table.
 *
 *   npx tsx test/bench/grouping-candidates.bench.ts ['[{"adaptive":{"spread":0.5}}, …]'] [from:to:step]
 */
import {
  embedPhotos,
  scoreClustering,
  thresholdRange,
  type EmbeddedFace,
} from '../../src-main/app/evaluation/cluster.js';
import { developmentSets } from '../../src-main/app/evaluation/dev-sets.js';
import { withPrimaryFaceAnalyzer } from '../../src-main/app/evaluation/primary-embedding.js';
import { DEFAULT_CHOICE } from '../../src-main/app/pipeline-choice.js';
import type { FaceClustererOptions } from '../../src-main/engine/people/clusterer.js';
import { GraphCache } from '../../src-main/engine/people/graph-cache.js';
import { SHARED_DIR } from '../helpers/shared.js';

type Candidate = Omit<FaceClustererOptions, 'threshold'>;
const candidates = JSON.parse(
  process.argv[2] ??
    JSON.stringify([
      {},
      { adaptive: { spread: 0.25 } },
      { adaptive: { spread: 0.5 } },
      { adaptive: { spread: 1 } },
      { adaptive: { sizeSlack: 0.1 } },
      { adaptive: { sizeSlack: 0.25 } },
      { adaptive: { sizeSlack: -0.1 } },
    ]),
) as Candidate[];
const [from, to, step] = (process.argv[3] ?? '0.1:0.18:0.005').split(':').map(Number) as [number, number, number];

const sets = await withPrimaryFaceAnalyzer(DEFAULT_CHOICE, {}, undefined, async (analyzer, cache) => {
  const out: Array<{ name: string; faces: EmbeddedFace[]; graphs: GraphCache }> = [];
  for (const set of developmentSets(SHARED_DIR)) {
    const tree = await embedPhotos(analyzer, set.photos, SHARED_DIR, { cache });
    out.push({ name: set.name, faces: tree.faces, graphs: new GraphCache() });
  }
  return out;
});

const rows: string[] = [];
for (const candidate of candidates) {
  let best = { threshold: NaN, mean: -1, perSet: [] as number[], pairwiseF: [] as number[] };
  for (const threshold of thresholdRange(from, to, step)) {
    const scores = sets.map((s) =>
      scoreClustering(s.faces, { threshold, minClusterSize: 2, minQuality: 0.2, clusterer: candidate }, s.graphs),
    );
    const perSet = scores.map((r) => r.bcubed.f);
    const mean = perSet.reduce((a, b) => a + b, 0) / perSet.length;
    if (mean > best.mean) best = { threshold, mean, perSet, pairwiseF: scores.map((r) => r.pairwise.f) };
  }
  console.log(JSON.stringify({ candidate, ...best, sets: sets.map((s) => s.name) }));
  rows.push(
    `${JSON.stringify(candidate).padEnd(44)} ${String(best.threshold).padEnd(7)} ${best.perSet.map((v) => v.toFixed(4)).join('  ')}  mean ${best.mean.toFixed(4)}  pairwise F ${best.pairwiseF.map((v) => v.toFixed(3)).join(' ')}`,
  );
}
console.log(`\ncandidate${' '.repeat(36)}t       ${sets.map((s) => s.name).join('  ')}`);
for (const r of rows) console.log(r);
