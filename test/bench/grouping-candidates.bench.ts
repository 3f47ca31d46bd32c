/**
 * Grouping candidates on the development sets (not a test): each candidate (FaceClusterer options) is swept
 * over thresholds and judged by the selection rule of docs/clustering-threshold.md (second rule: the largest
 * smallest margin over the development sets, where a margin is BCubed F minus exact average-linkage HAC at
 * its best threshold on that set; near-ties by the mean). Embeddings come from the eval cache (fill it once
 * with `facenet eval cluster --suite`); prints one JSON line per candidate, then a table.
 *
 *   npx tsx test/bench/grouping-candidates.bench.ts ['[{"adaptive":{"spread":0.5}}, …]'] [from:to:step]
 */
import { scoreClustering, thresholdRange } from '../../src-main/app/evaluation/cluster.js';
import { chooseByWorstMargin, exactHacReference } from '../../src-main/app/evaluation/cluster-suite.js';
import type { FaceClustererOptions } from '../../src-main/engine/people/clusterer.js';
import { GraphCache } from '../../src-main/engine/people/graph-cache.js';
import { developmentFaces } from '../helpers/development-faces.js';

type Candidate = Omit<FaceClustererOptions, 'threshold'>;
const candidates = JSON.parse(
  process.argv[2] ?? JSON.stringify([{ adaptive: {} }, {}, { belowFloor: 'attach' }]),
) as Candidate[];
const [from, to, step] = (process.argv[3] ?? '0.095:0.16:0.00125').split(':').map(Number) as [number, number, number];

const sets = (await developmentFaces()).map((s) => ({ ...s, graphs: new GraphCache() }));
// The references, at the same granularity over a wider range than the candidates' sweep.
const references = sets.map(
  (s) =>
    exactHacReference(
      { name: s.name, kind: 'development', description: '', faces: s.faces, photos: 0, noFace: 0 },
      thresholdRange(0.08, 0.2, step),
    ).bcubed.f,
);
console.log(JSON.stringify({ references: Object.fromEntries(sets.map((s, i) => [s.name, references[i]])) }));

const rows: string[] = [];
for (const candidate of candidates) {
  const sweep = thresholdRange(from, to, step).map((threshold) => {
    const scores = sets.map((s) =>
      scoreClustering(s.faces, { threshold, minClusterSize: 2, minQuality: 0.2, clusterer: candidate }, s.graphs),
    );
    const perSet = scores.map((r) => r.bcubed.f);
    return {
      threshold,
      perSet,
      margins: perSet.map((f, i) => f - references[i]!),
      smallestMargin: Math.min(...perSet.map((f, i) => f - references[i]!)),
      developmentMean: perSet.reduce((a, b) => a + b, 0) / perSet.length,
      pairwiseF: scores.map((r) => r.pairwise.f),
    };
  });
  const best = chooseByWorstMargin(sweep);
  console.log(JSON.stringify({ candidate, ...best, sets: sets.map((s) => s.name) }));
  rows.push(
    `${JSON.stringify(candidate).padEnd(60)} ${String(best.threshold).padEnd(8)} ${best.margins.map((v) => (v >= 0 ? '+' : '') + v.toFixed(4)).join(' ')}  min ${best.smallestMargin.toFixed(4)} mean ${best.developmentMean.toFixed(4)}  pairwise F ${best.pairwiseF.map((v) => v.toFixed(3)).join(' ')}`,
  );
}
console.log(`\ncandidate${' '.repeat(52)}t        margins (${sets.map((s) => s.name).join(' ')})`);
for (const r of rows) console.log(r);
