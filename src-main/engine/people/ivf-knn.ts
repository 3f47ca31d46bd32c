/**
 * Approximate k-nearest-neighbour graph with an inverted file (IVF), for libraries too large for the
 * O(n^2) brute force (knn.ts). Every step runs on worker threads over shared memory (knn-threads.ts,
 * knn-tasks.ts), and gives the same graph for any number of threads.
 *
 * 1. Coarse quantiser: spherical k-means with `lists` centroids (default 2·sqrt(n)), trained for a few
 *    Lloyd iterations on an evenly spaced sample of the rows (canonical order, so no randomness).
 * 2. Every row is filed under its nearest centroid, and the rows are renumbered list by list (a copy of the
 *    vectors in that order) so that the steps below read rows that lie near each other in memory.
 * 3. Each row is compared with the members of the `probes` lists whose centroids are nearest to it (its
 *    own list included), in dense blocks of (rows probing a list) x (members of the list) in the SIMD kernel
 *    (simd-dots.ts); each row keeps its k nearest.
 * 4. Neighbour-of-neighbour refinement rounds (NN-descent's local join) recover neighbours in lists a row did
 *    not probe, through its neighbours and through the rows that have it as a neighbour (reverse
 *    neighbours). Forward links alone stall: at 200k synthetic faces they took recall from 0.44 (search
 *    alone) to 0.87 and no further in 10 rounds, with reverse links 3 rounds reach 0.997
 *    (test/bench/knn-recall.bench.ts), which is what keeps a person seen in two lists from staying split.
 * Cost ≈ n·lists·d (filing) + n·probes·(n / lists)·d (search) + n·(2k)^2·d for the first refinement round
 * (later rounds only follow new links) instead of n^2·d / 2. Deterministic: no random numbers, ties by index.
 */
import { gather, type GraphArrays, type Neighbourhoods } from './knn-tasks.js';
import { RowHeaps, type KnnGraph } from './knn-kernels.js';
import { defaultKnnWorkers, withKnnRunner, type KnnRunner } from './knn-threads.js';
import { asShared, sharedFloat32, sharedInt32, sharedUint8 } from './shared-arrays.js';

export interface IvfOptions {
  /** Neighbours per row (default 16). */
  k?: number;
  /** Number of lists (default round(2·sqrt(n))). */
  lists?: number;
  /** Lists searched per list (default 8). */
  probes?: number;
  /** Lloyd iterations of the coarse k-means (default 5). */
  iterations?: number;
  /** Training rows per list (default 16). */
  samplePerList?: number;
  /** Neighbour-of-neighbour refinement rounds after the IVF search, at most (default 3; see knn-tasks.ts). */
  refineRounds?: number;
  /** Refinement searches, through each row in a row's neighbourhood, its neighbourhood (2) or its neighbours (1). */
  reverseHops?: 1 | 2;
  /**
   * Lists searched, after refinement, for the rows no other row lists as a neighbour (default 64; at most
   * `probes`: none). See researchLonely.
   */
  lonelyProbes?: number;
  /** Worker threads (knn-threads.ts; 0: this thread). Default: defaultKnnWorkers(n). The graph is the same. */
  workers?: number;
}

function normalizeRows(m: Float32Array, rows: number, dim: number): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let t = 0; t < dim; t++) s += (m[r * dim + t] as number) ** 2;
    const n = Math.sqrt(s);
    if (n > 0) for (let t = 0; t < dim; t++) m[r * dim + t] = (m[r * dim + t] as number) / n;
  }
}

/**
 * Rows 0..count-1 by their home list, the first of each row's `p` nearest centres in `near` (CSR over the `nl`
 * lists, rows ascending within a list).
 */
function byHomeList(near: Int32Array, p: number, count: number, nl: number): { start: Int32Array; items: Int32Array } {
  const start = sharedInt32(nl + 1);
  for (let a = 0; a < count; a++) {
    const home = near[a * p] as number;
    start[home + 1] = (start[home + 1] as number) + 1;
  }
  for (let l = 0; l < nl; l++) start[l + 1] = (start[l + 1] as number) + (start[l] as number);
  const items = sharedInt32(count);
  const fill = start.slice(0, nl);
  for (let a = 0; a < count; a++) {
    const home = near[a * p] as number;
    items[fill[home] as number] = a;
    fill[home] = (fill[home] as number) + 1;
  }
  return { start, items };
}

/** An empty graph of n rows of k slots in shared memory. */
function sharedGraph(n: number, k: number): GraphArrays {
  const indices = sharedInt32(n * k).fill(-1);
  return { indices, distances: sharedFloat32(n * k), counts: sharedInt32(n) };
}

export class IvfKnn {
  readonly k: number;
  readonly lists: number | undefined;
  readonly probes: number;
  readonly iterations: number;
  readonly samplePerList: number;
  readonly refineRounds: number;
  readonly reverseHops: 1 | 2;
  readonly lonelyProbes: number;
  readonly workers: number | undefined;

  constructor(options: IvfOptions = {}) {
    this.k = options.k ?? 16;
    this.lists = options.lists;
    this.probes = options.probes ?? 8;
    this.iterations = options.iterations ?? 5;
    this.samplePerList = options.samplePerList ?? 16;
    this.refineRounds = options.refineRounds ?? 3;
    this.reverseHops = options.reverseHops ?? 2;
    this.lonelyProbes = options.lonelyProbes ?? 64;
    this.workers = options.workers;
  }

  fit(vectors: Float32Array, dim: number): KnnGraph {
    const n = dim > 0 ? vectors.length / dim : 0;
    const k = Math.max(1, Math.min(this.k, n - 1));
    if (n < 2) return new RowHeaps(n, k).finish();
    return withKnnRunner(this.workers ?? defaultKnnWorkers(n), (runner) =>
      this.build(runner, asShared(vectors), n, dim, k),
    );
  }

  private build(runner: KnnRunner, vectors: Float32Array, n: number, dim: number, k: number): KnnGraph {
    const nl = Math.max(1, Math.min(n, this.lists ?? Math.round(2 * Math.sqrt(n))));
    const centres = this.train(runner, vectors, n, dim, nl);

    // File every row under its nearest centre, and remember the `probes` nearest centres of each row.
    const probes = Math.min(nl, this.probes);
    const probeOf = sharedInt32(n * probes);
    runner.run({
      kind: 'nearest-centres',
      vectors,
      dim,
      next: sharedInt32(1),
      rows: n,
      centres,
      nc: nl,
      p: probes,
      out: probeOf,
    });
    // Members of each list (CSR): rows whose nearest centre it is, ascending.
    const filed = byHomeList(probeOf, probes, n, nl);
    // From here on the rows are renumbered in list order (position p is row order[p]), so that the rows a row
    // is compared with, in its own list and through its neighbours, mostly lie near it in memory whatever
    // order the library's rows come in (a dot product with a row that is not in the cache costs about three
    // times one with a row that is). At 200k faces in random order the graph took 28.4 s instead of 32.1 s
    // (`npx tsx test/bench/cluster.bench.ts 200000`). The graph is mapped back to the rows at the end. The
    // vectors are reordered in place, not copied (a copy is 0.5 GB at 1M faces), and put back before returning.
    const order = filed.items;
    reorderRows(vectors, order, dim);
    try {
      return this.searchInListOrder(runner, vectors, dim, n, k, { centres, probes, probeOf, filed, nl });
    } finally {
      restoreRows(vectors, order, dim);
    }
  }

  /** Steps 3 and 4 (and the lonely rows' search) on rows renumbered in list order; the graph of the rows. */
  private searchInListOrder(
    runner: KnnRunner,
    local: Float32Array,
    dim: number,
    n: number,
    k: number,
    index: {
      centres: Float32Array;
      probes: number;
      probeOf: Int32Array;
      filed: { start: Int32Array; items: Int32Array };
      nl: number;
    },
  ): KnnGraph {
    const { centres, probes, probeOf, filed, nl } = index;
    const order = filed.items;
    const localProbeOf = sharedInt32(n * probes);
    for (let p = 0; p < n; p++) {
      const r = order[p] as number;
      localProbeOf.set(probeOf.subarray(r * probes, (r + 1) * probes), p * probes);
    }
    const start = filed.start;
    const items = sharedInt32(n);
    for (let p = 0; p < n; p++) items[p] = p;

    // Every row against the members of its own `probes` nearest lists (per-row probing: a row near a list
    // boundary searches both sides, unlike probing by the list's centre), list by list in dense blocks.
    let graph = sharedGraph(n, k);
    runner.run({
      kind: 'ivf-search',
      vectors: local,
      dim,
      next: sharedInt32(1),
      k,
      lists: nl,
      listsPerChunk: Math.max(1, Math.round((2048 * nl) / n)),
      probes,
      probeOf: localProbeOf,
      start,
      items,
      out: graph,
    });
    // Refinement rounds until nothing changes (a round without change would repeat itself), at most refineRounds.
    let adj: Neighbourhoods | undefined;
    let before: GraphArrays | undefined;
    for (let r = 0; r < this.refineRounds; r++) {
      adj = neighbourhoods(graph, n, k, adj && before ? { adj, graph: before } : undefined);
      before = graph;
      const out = sharedGraph(n, k);
      const changed = sharedInt32(1);
      runner.run({
        kind: 'refine',
        vectors: local,
        dim,
        next: sharedInt32(1),
        n,
        k,
        rowsPerChunk: 1024,
        graph,
        adj,
        reverseHops: this.reverseHops,
        out,
        changed,
      });
      graph = out;
      if (changed[0] === 0) break;
    }
    if (this.lonelyProbes > probes) this.researchLonely(runner, local, dim, k, { centres, start, items }, graph);
    return inRowOrder(graph, order, n, k);
  }

  /**
   * Rows that no other row lists as a neighbour (in-degree 0) are searched again, in their `lonelyProbes`
   * nearest lists, and keep the k nearest of both searches. Such a row was filed where none of its true
   * neighbours look, and found none of them in its own probes; refinement cannot reach it, since it starts
   * from a row's links and this row has no good one, and no good row links to it. These rows are what kept
   * people split at scale: at 200k synthetic faces (20 per person) the graph left 598 faces alone outside
   * their person, 590 of them among the 634 rows of in-degree 0 (scratch diagnosis noted in
   * docs/clustering-threshold.md). They are few, so a wide search costs little.
   */
  private researchLonely(
    runner: KnnRunner,
    vectors: Float32Array,
    dim: number,
    k: number,
    index: { centres: Float32Array; start: Int32Array; items: Int32Array },
    graph: GraphArrays,
  ): void {
    const n = graph.counts.length;
    const nl = index.start.length - 1;
    const indegree = new Int32Array(n);
    for (let i = 0; i < n; i++)
      for (let s = 0; s < (graph.counts[i] as number); s++) {
        const j = graph.indices[i * k + s] as number;
        indegree[j] = (indegree[j] as number) + 1;
      }
    const lonely: number[] = [];
    for (let i = 0; i < n; i++) if (indegree[i] === 0) lonely.push(i);
    const count = lonely.length;
    if (count === 0) return;
    const p = Math.min(nl, this.lonelyProbes);
    const rows = sharedFloat32(count * dim);
    gather(vectors, lonely, dim, rows);
    const near = sharedInt32(count * p);
    runner.run({
      kind: 'nearest-centres',
      vectors: rows,
      dim,
      next: sharedInt32(1),
      rows: count,
      centres: index.centres,
      nc: nl,
      p,
      out: near,
    });
    // The queries by home list (CSR), each with its probes at its position in that order.
    const queries = byHomeList(near, p, count, nl);
    const probeOf = sharedInt32(count * p);
    queries.items.forEach((a, at) => {
      queries.items[at] = lonely[a] as number;
      probeOf.set(near.subarray(a * p, a * p + p), at * p);
    });
    const found = sharedGraph(n, k);
    runner.run({
      kind: 'ivf-search',
      vectors,
      dim,
      next: sharedInt32(1),
      k,
      lists: nl,
      // About 64 queries per chunk: enough chunks to share among the threads.
      listsPerChunk: Math.max(1, Math.round((64 * nl) / count)),
      probes: p,
      probeOf,
      start: index.start,
      items: index.items,
      queries,
      out: found,
    });
    // Each lonely row keeps the k nearest of its two lists (the wide search probes its old lists too).
    const heaps = new RowHeaps(1, k);
    const seen = new Set<number>();
    for (const r of lonely) {
      heaps.count[0] = 0;
      seen.clear();
      for (const g of [graph, found])
        for (let s = 0; s < (g.counts[r] as number); s++) {
          const j = g.indices[r * k + s] as number;
          if (seen.has(j)) continue;
          seen.add(j);
          heaps.offer(0, g.distances[r * k + s] as number, j);
        }
      const best = heaps.finish();
      graph.indices.set(best.indices.subarray(0, k), r * k);
      graph.distances.set(best.distances.subarray(0, k), r * k);
      graph.counts[r] = best.counts[0] as number;
    }
  }

  /** Spherical k-means on an evenly spaced sample; initial centres evenly spaced through the sample. */
  private train(runner: KnnRunner, vectors: Float32Array, n: number, dim: number, nl: number): Float32Array {
    const m = Math.min(n, nl * this.samplePerList);
    const sample = sharedFloat32(m * dim);
    for (let s = 0; s < m; s++) {
      const i = Math.floor((s * n) / m);
      sample.set(vectors.subarray(i * dim, (i + 1) * dim), s * dim);
    }
    const centres = sharedFloat32(nl * dim);
    for (let c = 0; c < nl; c++) {
      const s = Math.floor((c * m) / nl);
      centres.set(sample.subarray(s * dim, (s + 1) * dim), c * dim);
    }
    const sums = new Float64Array(nl * dim);
    const counts = new Int32Array(nl);
    const nearest = sharedInt32(m);
    for (let it = 0; it < this.iterations; it++) {
      // Assignment on every thread; the sums here, in sample order (the same floating-point result always).
      runner.run({
        kind: 'nearest-centres',
        vectors: sample,
        dim,
        next: sharedInt32(1),
        rows: m,
        centres,
        nc: nl,
        p: 1,
        out: nearest,
      });
      sums.fill(0);
      counts.fill(0);
      for (let s = 0; s < m; s++) {
        const c = nearest[s] as number;
        counts[c] = (counts[c] as number) + 1;
        for (let t = 0; t < dim; t++)
          sums[c * dim + t] = (sums[c * dim + t] as number) + (sample[s * dim + t] as number);
      }
      for (let c = 0; c < nl; c++) {
        if (counts[c] === 0) continue; // an empty list keeps its centre
        for (let t = 0; t < dim; t++) centres[c * dim + t] = sums[c * dim + t] as number;
      }
      normalizeRows(centres, nl, dim);
    }
    return centres;
  }
}

/**
 * Moves the rows of `vectors` (width dim) so that position p holds what row order[p] held (`order` a
 * permutation of 0..n-1), in place: each cycle of the permutation is followed once, with one row aside.
 */
export function reorderRows(vectors: Float32Array, order: Int32Array, dim: number): void {
  const n = order.length;
  const done = new Uint8Array(n);
  const aside = new Float32Array(dim);
  for (let first = 0; first < n; first++) {
    if (done[first]) continue;
    aside.set(vectors.subarray(first * dim, (first + 1) * dim));
    let p = first;
    for (;;) {
      done[p] = 1;
      const from = order[p] as number;
      if (from === first) {
        vectors.set(aside, p * dim);
        break;
      }
      vectors.copyWithin(p * dim, from * dim, (from + 1) * dim);
      p = from;
    }
  }
}

/** Undoes reorderRows: row order[p] holds again what position p holds (reorderRows by the inverse order). */
export function restoreRows(vectors: Float32Array, order: Int32Array, dim: number): void {
  const inverse = new Int32Array(order.length);
  for (let p = 0; p < order.length; p++) inverse[order[p] as number] = p;
  reorderRows(vectors, inverse, dim);
}

/**
 * The graph of rows renumbered by `order` (position p is row order[p]) as a graph of the rows themselves: row
 * order[p] gets position p's neighbours, each as its row, sorted again by (distance, row) so that rows are in
 * the canonical order every graph has. Which of several neighbours at exactly the k-th distance a row kept was
 * decided by position (deterministic, like everything here).
 */
function inRowOrder(graph: GraphArrays, order: Int32Array, n: number, k: number): KnnGraph {
  const heaps = new RowHeaps(n, k);
  for (let p = 0; p < n; p++) {
    const r = order[p] as number;
    for (let s = 0; s < (graph.counts[p] as number); s++)
      heaps.offer(r, graph.distances[p * k + s] as number, order[graph.indices[p * k + s] as number] as number);
  }
  return heaps.finish();
}

/**
 * Each row's neighbourhood for a refinement round (CSR, shared): its k neighbours, then the (at most k nearest,
 * ties by index) rows that have it among theirs; fresh bits as Neighbourhoods says, against `previous` (the
 * previous round's neighbourhoods and graph; absent: everything is new).
 */
function neighbourhoods(
  graph: GraphArrays,
  n: number,
  k: number,
  previous?: { adj: Neighbourhoods; graph: GraphArrays },
): Neighbourhoods {
  const { indices, distances, counts } = graph;
  // Reverse lists (CSR), each kept to its k nearest.
  const revCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < (counts[i] as number); s++) {
      const j = indices[i * k + s] as number;
      revCount[j + 1] = (revCount[j + 1] as number) + 1;
    }
  }
  for (let j = 0; j < n; j++) revCount[j + 1] = (revCount[j + 1] as number) + (revCount[j] as number);
  const revFrom = new Int32Array(revCount[n] as number);
  const revDist = new Float32Array(revCount[n] as number);
  const fill = revCount.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < (counts[i] as number); s++) {
      const j = indices[i * k + s] as number;
      const p = fill[j] as number;
      revFrom[p] = i;
      revDist[p] = distances[i * k + s] as number;
      fill[j] = p + 1;
    }
  }
  const heaps = new RowHeaps(n, k);
  for (let j = 0; j < n; j++) {
    for (let p = revCount[j] as number; p < (revCount[j + 1] as number); p++) {
      const d = revDist[p] as number;
      if (heaps.accepts(j, d)) heaps.offer(j, d, revFrom[p] as number);
    }
  }
  const rev = heaps.finish();
  const start = sharedInt32(n + 1);
  const items = sharedInt32(n * 2 * k);
  const fresh = sharedUint8(n * 2 * k);
  // mark[x] === i + 1: x is in the row's new neighbourhood; -(i + 1): it was in the previous one.
  // wasNeighbour[x] === i + 1: x was among the row's previous neighbours.
  const mark = new Int32Array(n);
  const wasNeighbour = new Int32Array(n);
  let w = 0;
  for (let i = 0; i < n; i++) {
    start[i] = w;
    if (previous) {
      const { adj, graph: g } = previous;
      for (let p = adj.start[i] as number; p < (adj.start[i + 1] as number); p++)
        mark[adj.items[p] as number] = -(i + 1);
      for (let s = 0; s < (g.counts[i] as number); s++) wasNeighbour[g.indices[i * k + s] as number] = i + 1;
    }
    const add = (x: number): void => {
      if (mark[x] === i + 1) return;
      const newInNeighbourhood = !previous || mark[x] !== -(i + 1);
      const newAsNeighbour = !previous || wasNeighbour[x] !== i + 1;
      fresh[w] = (newInNeighbourhood ? 1 : 0) | (newAsNeighbour ? 2 : 0);
      mark[x] = i + 1;
      items[w++] = x;
    };
    for (let s = 0; s < (counts[i] as number); s++) add(indices[i * k + s] as number);
    for (let s = 0; s < (rev.counts[i] as number); s++) add(rev.indices[i * k + s] as number);
  }
  start[n] = w;
  return { start, items: items.subarray(0, w), fresh: fresh.subarray(0, w) };
}
