/**
 * Recall of the approximate (IVF) kNN graph against the exact one, on evenly spaced sample rows (the exact
 * neighbours of a sample cost s·n·d, so this runs at 1M faces too). Not a test. Prints one JSON object.
 *
 *   npx tsx test/bench/knn-recall.bench.ts [n=200000] [samples=500] [ivf options as JSON, e.g. '{"probes":4}']
 */
import { IvfKnn, type IvfOptions } from '../../src-main/engine/people/ivf-knn.js';
import { BruteForceKnn } from '../../src-main/engine/people/knn.js';
import { packFaces } from '../../src-main/engine/people/faces.js';
import { syntheticIdentities } from '../helpers/synthetic-identities.js';

const n = Number(process.argv[2] ?? 200000);
const samples = Number(process.argv[3] ?? 500);
const options = JSON.parse(process.argv[4] ?? '{}') as IvfOptions;
const k = options.k ?? 16;
const s = syntheticIdentities({ identities: Math.ceil(n / 20), perIdentity: 20, dim: 128, sigma: 0.08, seed: 42 });
const packed = packFaces(s.faces.slice(0, n));
const dim = packed.dim;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const graph = new IvfKnn(options).fit(packed.vectors, dim);
const cpu = process.cpuUsage(cpu0);
const t1 = performance.now();
const rows = Array.from({ length: samples }, (_, i) => Math.floor((i * n) / samples));
const queries = new Float32Array(samples * dim);
rows.forEach((r, a) => queries.set(packed.vectors.subarray(r * dim, (r + 1) * dim), a * dim));
// k + 1: the exact search finds the row itself, which the graph leaves out.
const exact = new BruteForceKnn({ k: k + 1 }).query(packed.vectors, queries, dim);
let hits = 0;
let total = 0;
rows.forEach((r, a) => {
  const truth = new Set<number>();
  for (let t = 0; t < k + 1; t++) {
    const j = exact.indices[a * (k + 1) + t] as number;
    if (j !== r && truth.size < k) truth.add(j);
  }
  for (let t = 0; t < graph.counts[r]!; t++) if (truth.has(graph.indices[r * graph.k + t] as number)) hits++;
  total += truth.size;
});
console.log(
  JSON.stringify({
    n,
    samples,
    options,
    seconds: Number(((t1 - t0) / 1000).toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    recall: Number((hits / total).toFixed(4)),
  }),
);
