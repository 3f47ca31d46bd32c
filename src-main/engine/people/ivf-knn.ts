/**
 * Approximate k-nearest-neighbour graph with an inverted file (IVF), for libraries too large for the
 * O(n^2) brute force (knn.ts).
 *
 * 1. Coarse quantiser: spherical k-means with `lists` centroids (default 2·sqrt(n)), trained for a few
 *    Lloyd iterations on an evenly spaced sample of the rows (canonical order, so no randomness).
 * 2. Every row is filed under its nearest centroid.
 * 3. Each row is compared with the members of the `probes` lists whose centroids are nearest to it (its
 *    own list included). The work is done list by list, as one dense block of (rows probing the list) x
 *    (members of the list) with the same 4 x 2 register tile as the brute force; each row keeps its k nearest.
 * 4. Neighbour-of-neighbour refinement rounds (refineKnn) recover neighbours in lists a row did not probe.
 * Cost ≈ n·lists·d (filing) + n·probes·(n / lists)·d (search) + rounds·n·k^2·d instead of n^2·d / 2. Faces of one person sit
 * in the same or neighbouring lists, so the neighbours that drive clustering are found; recall against the
 * exact graph is measured in test/unit/engine/people/ivf-knn.test.ts. Deterministic: no random numbers, ties by index.
 */
import { RowHeaps, searchBlock, unitDistance, type KnnGraph } from './knn.js';

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
  /** Neighbour-of-neighbour refinement rounds after the IVF search (default 3; see refineKnn). */
  refineRounds?: number;
}

/**
 * The `p` centres with the largest dot products with row r of `a`, best first (ties: smaller index), written
 * to out[0..p). Four centres per pass (independent accumulators, one load of the row value): ~4x the naive
 * loop in V8.
 */
function nearestCentres(
  a: Float32Array,
  r: number,
  centres: Float32Array,
  nc: number,
  dim: number,
  p: number,
  out: Int32Array,
  outDot: Float64Array,
): void {
  let filled = 0;
  const o = r * dim;
  const consider = (c: number, s: number): void => {
    if (filled === p && s <= (outDot[p - 1] as number)) return;
    let pos = filled < p ? filled++ : p - 1;
    while (pos > 0 && (outDot[pos - 1] as number) < s) {
      outDot[pos] = outDot[pos - 1] as number;
      out[pos] = out[pos - 1] as number;
      pos--;
    }
    outDot[pos] = s;
    out[pos] = c;
  };
  let c = 0;
  for (; c + 3 < nc; c += 4) {
    const c0 = c * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < dim; t++) {
      const x = a[o + t] as number;
      s0 += x * (centres[c0 + t] as number);
      s1 += x * (centres[c0 + dim + t] as number);
      s2 += x * (centres[c0 + 2 * dim + t] as number);
      s3 += x * (centres[c0 + 3 * dim + t] as number);
    }
    consider(c, s0);
    consider(c + 1, s1);
    consider(c + 2, s2);
    consider(c + 3, s3);
  }
  for (; c < nc; c++) {
    let s = 0;
    for (let t = 0; t < dim; t++) s += (a[o + t] as number) * (centres[c * dim + t] as number);
    consider(c, s);
  }
}

function nearestCentre(a: Float32Array, r: number, centres: Float32Array, nc: number, dim: number): number {
  const out = new Int32Array(1);
  nearestCentres(a, r, centres, nc, dim, 1, out, new Float64Array(1));
  return out[0] as number;
}

function normalizeRows(m: Float32Array, rows: number, dim: number): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let t = 0; t < dim; t++) s += (m[r * dim + t] as number) ** 2;
    const n = Math.sqrt(s);
    if (n > 0) for (let t = 0; t < dim; t++) m[r * dim + t] = (m[r * dim + t] as number) / n;
  }
}

export class IvfKnn {
  readonly k: number;
  readonly lists: number | undefined;
  readonly probes: number;
  readonly iterations: number;
  readonly samplePerList: number;
  readonly refineRounds: number;

  constructor(options: IvfOptions = {}) {
    this.k = options.k ?? 16;
    this.lists = options.lists;
    this.probes = options.probes ?? 8;
    this.iterations = options.iterations ?? 5;
    this.samplePerList = options.samplePerList ?? 16;
    this.refineRounds = options.refineRounds ?? 3;
  }

  fit(vectors: Float32Array, dim: number): KnnGraph {
    const n = dim > 0 ? vectors.length / dim : 0;
    const k = Math.max(1, Math.min(this.k, n - 1));
    const heaps = new RowHeaps(n, k);
    if (n < 2) return heaps.finish();
    const nl = Math.max(1, Math.min(n, this.lists ?? Math.round(2 * Math.sqrt(n))));
    const centres = this.train(vectors, n, dim, nl);

    // File every row under its nearest centre, and remember the `probes` nearest centres of each row.
    const probes = Math.min(nl, this.probes);
    const probeOf = new Int32Array(n * probes);
    const tmp = new Int32Array(probes);
    const tmpDot = new Float64Array(probes);
    const sizes = new Int32Array(nl);
    const probedBy = new Int32Array(nl);
    for (let i = 0; i < n; i++) {
      nearestCentres(vectors, i, centres, nl, dim, probes, tmp, tmpDot);
      probeOf.set(tmp, i * probes);
      const home = tmp[0] as number;
      sizes[home] = (sizes[home] as number) + 1;
      for (let q = 0; q < probes; q++) probedBy[tmp[q] as number] = (probedBy[tmp[q] as number] as number) + 1;
    }
    // CSR layouts: members of each list (rows whose nearest centre it is), and rows probing each list.
    const members = csr(n, nl, sizes, (i, emit) => emit(probeOf[i * probes] as number));
    const probers = csr(n, nl, probedBy, (i, emit) => {
      for (let q = 0; q < probes; q++) emit(probeOf[i * probes + q] as number);
    });

    // Per list: every row probing it against every member of it, as one dense block. Each row thus meets
    // the members of its own `probes` nearest lists (per-row probing: a row near a list boundary searches
    // both sides, unlike probing by the list's centre).
    let qRows = new Float32Array(0);
    let cRows = new Float32Array(0);
    for (let l = 0; l < nl; l++) {
      const cIdx = members.items.subarray(members.start[l] as number, members.start[l + 1] as number);
      const qIdx = probers.items.subarray(probers.start[l] as number, probers.start[l + 1] as number);
      const qn = qIdx.length;
      const cn = cIdx.length;
      if (qn === 0 || cn === 0) continue;
      if (qRows.length < qn * dim) qRows = new Float32Array(qn * dim * 2);
      if (cRows.length < cn * dim) cRows = new Float32Array(cn * dim * 2);
      gather(vectors, qIdx, dim, qRows);
      gather(vectors, cIdx, dim, cRows);
      searchBlock(heaps, qRows, qIdx, cRows, cIdx, dim, true);
    }
    let graph = heaps.finish();
    for (let r = 0; r < this.refineRounds; r++) graph = refineKnn(graph, vectors, dim);
    return graph;
  }

  /** Spherical k-means on an evenly spaced sample; initial centres evenly spaced through the sample. */
  private train(vectors: Float32Array, n: number, dim: number, nl: number): Float32Array {
    const m = Math.min(n, nl * this.samplePerList);
    const sample = new Float32Array(m * dim);
    for (let s = 0; s < m; s++) {
      const i = Math.floor((s * n) / m);
      sample.set(vectors.subarray(i * dim, (i + 1) * dim), s * dim);
    }
    const centres = new Float32Array(nl * dim);
    for (let c = 0; c < nl; c++) {
      const s = Math.floor((c * m) / nl);
      centres.set(sample.subarray(s * dim, (s + 1) * dim), c * dim);
    }
    const sums = new Float64Array(nl * dim);
    const counts = new Int32Array(nl);
    for (let it = 0; it < this.iterations; it++) {
      sums.fill(0);
      counts.fill(0);
      for (let s = 0; s < m; s++) {
        const c = nearestCentre(sample, s, centres, nl, dim);
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

interface Csr {
  start: Int32Array;
  items: Int32Array;
}

/** Compressed rows: for each bucket, the row indices emitted into it, in ascending row order. */
function csr(
  n: number,
  buckets: number,
  counts: Int32Array,
  each: (i: number, emit: (b: number) => void) => void,
): Csr {
  const start = new Int32Array(buckets + 1);
  for (let b = 0; b < buckets; b++) start[b + 1] = (start[b] as number) + (counts[b] as number);
  const items = new Int32Array(start[buckets] as number);
  const fill = start.slice(0, buckets);
  for (let i = 0; i < n; i++) {
    each(i, (b) => {
      items[fill[b] as number] = i;
      fill[b] = (fill[b] as number) + 1;
    });
  }
  return { start, items };
}

function gather(vectors: Float32Array, rows: Int32Array, dim: number, out: Float32Array): void {
  for (let a = 0; a < rows.length; a++) {
    const r = rows[a] as number;
    out.set(vectors.subarray(r * dim, (r + 1) * dim), a * dim);
  }
}

/**
 * One round of neighbour-of-neighbour refinement (the local join of NN-descent, Dong et al. 2011): each row
 * is compared with the neighbours of its neighbours and keeps the k nearest of old and new. The IVF search
 * alone misses neighbours whose list is not among a row's probes (a person split across two lists whose
 * centres are mixtures of several people); one of that person's faces that *was* found usually knows the
 * rest, so a round or two recovers them. Cost n·k^2·d per round. Deterministic (fixed order, ties by index).
 */
export function refineKnn(graph: KnnGraph, vectors: Float32Array, dim: number): KnnGraph {
  const { n, k } = graph;
  const heaps = new RowHeaps(n, k);
  // stamp[j] === i + 1 marks j as already offered to row i (no duplicates in a row's heap).
  const stamp = new Int32Array(n);
  const offer = (i: number, j: number): void => {
    if (j === i || stamp[j] === i + 1) return;
    stamp[j] = i + 1;
    const a = i * dim;
    const b = j * dim;
    let s = 0;
    for (let t = 0; t < dim; t++) s += (vectors[a + t] as number) * (vectors[b + t] as number);
    const d = unitDistance(s);
    if (heaps.accepts(i, d)) heaps.offer(i, d, j);
  };
  for (let i = 0; i < n; i++) {
    const ci = graph.counts[i] as number;
    for (let s = 0; s < ci; s++) {
      const j = graph.indices[i * k + s] as number;
      offer(i, j);
      const cj = graph.counts[j] as number;
      for (let u = 0; u < cj; u++) offer(i, graph.indices[j * k + u] as number);
    }
  }
  return heaps.finish();
}
