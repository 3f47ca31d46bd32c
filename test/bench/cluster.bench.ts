/**
 * Clustering benchmark (not a test): synthetic identities -> the kNN-graph clustering (average linkage with the
 * default adaptive criterion),
 * timed phase by phase. Prints one JSON object: n, dim, k, seconds (pack + kNN graph + agglomeration: what
 * FaceClusterer.fit spends; cpuSeconds the CPU time of the same), the phases, peak RSS, and the quality of the partition against the synthetic
 * truth.
 *
 *   npx tsx test/bench/cluster.bench.ts [n=20000] [dim=128] [k=16] [perIdentity=20] [neighbours=auto] [workers]
 *     [order=shuffled|grouped]
 *
 * neighbours: auto (brute force up to 10k faces, IVF above), brute-force or ivf. workers: threads that build
 * the kNN graph (0: the main thread; default as FaceClusterer: one per CPU, at most 4); the graph is the same.
 * The same n, dim and perIdentity always give the same faces, so `brute-force` against `ivf` compares the
 * graphs on the same faces. order: the rows in a seeded random order, as a library's photo order scatters a
 * person's faces (default), or identity by identity ('grouped', every person's faces adjacent in memory:
 * flattering, since a row's neighbours are then next to it; docs/clustering-threshold.md says which figures
 * were measured so).
 */
import { clusterScores } from '../../src-shared/cluster-metrics.js';
import { FaceClusterer } from '../../src-main/engine/people/clusterer.js';
import { prepareConstraints } from '../../src-main/engine/people/constraints.js';
import { packFaces, type FaceRecord } from '../../src-main/engine/people/faces.js';
import { graphAgglomerate } from '../../src-main/engine/people/hac-graph.js';
import { syntheticIdentities } from '../helpers/synthetic-identities.js';
import { Rng } from '../../src-shared/random.js';

const [n = 20000, dim = 128, k = 16, perIdentity = 20] = process.argv.slice(2, 6).map(Number);
const neighbours = (process.argv[6] ?? 'auto') as 'auto' | 'brute-force' | 'ivf';
const workers = process.argv[7] === undefined || process.argv[7] === '' ? undefined : Number(process.argv[7]);
const order = (process.argv[8] ?? 'shuffled') as 'shuffled' | 'grouped';
let peakRss = 0;
const sample = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sample, 50);

const t0 = performance.now();
// sigma 0.08: same-identity distances ~0.90, different ~2 (like a good embedder on a family library).
const s = syntheticIdentities({ identities: Math.ceil(n / perIdentity), perIdentity, dim, sigma: 0.08, seed: 42 });
let truth = s.truth.slice(0, n);
if (order === 'shuffled') {
  // A library's rows come in photo order, not person by person: renumber the faces in a seeded random order
  // (packFaces orders rows by id), so that a person's faces are scattered through memory as they would be.
  const rows = new Rng(7).shuffled(Array.from({ length: n }, (_, i) => i));
  const faces = s.faces.slice(0, n);
  truth = rows.map((i) => truth[i] as number);
  s.faces.length = 0;
  rows.forEach((i, id) => s.faces.push({ ...(faces[i] as FaceRecord), id }));
}
const tGen = performance.now();
// CPU time as well as wall time: on a shared 2-core machine wall time mostly measures the neighbours' load.
const cpu0 = process.cpuUsage();

// The steps of FaceClusterer.fit (no constraints, no quality scores), timed one by one.
const clusterer = new FaceClusterer({ k, threshold: 1.1, neighbours, workers });
const packed = packFaces(s.faces.slice(0, n));
// The generator's faces are not the clusterer's to keep: let them go, as a library's rows would be.
s.faces.length = 0;
const tPack = performance.now();
sample();
const graph = clusterer.knnGraph(packed);
const tKnn = performance.now();
sample();
const prepared = prepareConstraints(packed);
const labels = graphAgglomerate(
  {
    vectors: packed.vectors,
    dim,
    root: prepared.root,
    cannot: prepared.cannot,
    threshold: 1.1,
    linkage: 'average',
    adaptive: clusterer.adaptive,
  },
  graph,
);
const tAgg = performance.now();
const cpu = process.cpuUsage(cpu0);
sample();
clearInterval(timer);
// Rows are in id order (packFaces), and `truth` follows the ids, so row labels line up with it.
const scores = clusterScores(Array.from(labels), truth);
const sec = (a: number, b: number): number => Number(((b - a) / 1000).toFixed(3));
console.log(
  JSON.stringify({
    n,
    dim,
    k,
    neighbours: clusterer.neighbours,
    workers: clusterer.workers ?? 'default',
    seconds: sec(tGen, tAgg),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    phases: { generate: sec(t0, tGen), pack: sec(tGen, tPack), knn: sec(tPack, tKnn), agglomerate: sec(tKnn, tAgg) },
    peakRssMB: Math.round(peakRss / 2 ** 20),
    clusters: new Set(labels).size,
    identities: new Set(truth).size,
    pairwiseF: Number(scores.pairwise.f.toFixed(4)),
    bcubedF: Number(scores.bcubed.f.toFixed(4)),
  }),
);
