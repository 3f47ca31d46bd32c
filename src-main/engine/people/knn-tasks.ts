/**
 * The work of building a kNN graph, cut into tasks that any number of threads can share (knn-threads.ts runs
 * them in worker threads, or in this thread). A task's inputs and outputs live in shared memory; every thread
 * takes chunks (row ranges, list ranges, block pairs) from one atomic counter until none are left.
 *
 * Why the result never depends on the thread count: each row's neighbours are the k best, under the total
 * order (distance, index), of a candidate set that the task fixes in advance (no chunk sees another's
 * progress), and each pair's dot product is summed in the same order whatever code path computes it. Tasks
 * whose chunks write disjoint rows write the final rows directly; the brute force, whose chunks offer a pair
 * to both of its rows, returns each thread's heaps, which the caller merges (disjoint candidate sets, so the
 * union's k best are the same whatever the split).
 */
import { RowHeaps, searchBlock, unitDistance, type KnnGraph } from './knn-kernels.js';
import { BlockDots } from './simd-dots.js';

/** Rows of the graph being written, in shared memory (indices -1 where a row has fewer than k). */
export interface GraphArrays {
  indices: Int32Array;
  distances: Float32Array;
  counts: Int32Array;
}

interface TaskBase {
  vectors: Float32Array;
  dim: number;
  /** next[0]: the next chunk to take (shared by all threads). */
  next: Int32Array;
}

/** The `p` nearest of `nc` centres to each of rows [0, rows), best first: out[r·p .. r·p + p). */
export interface NearestCentresTask extends TaskBase {
  kind: 'nearest-centres';
  rows: number;
  centres: Float32Array;
  nc: number;
  p: number;
  out: Int32Array;
}

/**
 * IVF search: every row (taken list by list, as the members of `listsPerChunk` lists at a time) against the
 * members of each of its `probes` lists (probeOf), keeping its k nearest; writes the rows' final lists.
 */
export interface IvfSearchTask extends TaskBase {
  kind: 'ivf-search';
  k: number;
  lists: number;
  listsPerChunk: number;
  probes: number;
  probeOf: Int32Array;
  /** Members of each list (CSR): rows whose nearest centre it is, ascending. */
  start: Int32Array;
  items: Int32Array;
  /**
   * Search only these rows, CSR by their home list (the default: every row, as `start`/`items`). A query's
   * probes are then at probeOf[(its position in queries.items) · probes …] instead of probeOf[row · probes …].
   */
  queries?: { start: Int32Array; items: Int32Array };
  out: GraphArrays;
}

/**
 * Each row's neighbourhood (CSR over rows): its current neighbours first (graph.counts[i] of them), then the
 * rows that have it as a neighbour. fresh bit 1: the previous round's neighbourhood of the row lacked the
 * entry; bit 2: the previous round's neighbours of the row lacked it.
 */
export interface Neighbourhoods {
  start: Int32Array;
  items: Int32Array;
  fresh: Uint8Array;
}

/**
 * One round of neighbour-of-neighbour refinement (see refineTask) over rows [0, n), `rowsPerChunk` at a time.
 * `graph` holds the rows' current k nearest; `adj` (CSR over rows) each row's neighbourhood to search
 * through: its neighbours and the rows that have it as a neighbour, each marked fresh when the previous
 * round's neighbourhood lacked it. Writes the new rows to `out` and counts changed rows in changed[0].
 */
export interface RefineTask extends TaskBase {
  kind: 'refine';
  n: number;
  k: number;
  rowsPerChunk: number;
  graph: GraphArrays;
  adj: Neighbourhoods;
  /** Through a neighbour, search its whole neighbourhood (2) or only its own neighbours (1: half the cost). */
  reverseHops: 1 | 2;
  out: GraphArrays;
  changed: Int32Array;
}

/** Exact kNN: every pair of row blocks (I <= J) once; replies with the thread's heaps over all n rows. */
export interface BruteTask extends TaskBase {
  kind: 'brute';
  n: number;
  k: number;
  block: number;
}

export type KnnTask = NearestCentresTask | IvfSearchTask | RefineTask | BruteTask;

/** What a thread returns: heaps for the brute force, nothing for tasks that write shared rows. */
export type KnnReply = { dist: Float32Array; idx: Int32Array; count: Int32Array } | null;

export function runKnnTask(task: KnnTask): KnnReply {
  switch (task.kind) {
    case 'nearest-centres':
      nearestCentresTask(task);
      return null;
    case 'ivf-search':
      ivfSearchTask(task);
      return null;
    case 'refine':
      refineTask(task);
      return null;
    case 'brute':
      return bruteTask(task);
  }
}

/** Chunks of [0, total) of `size` each, taken from the shared counter until none are left. */
function* chunks(next: Int32Array, total: number, size: number): Generator<[number, number]> {
  for (;;) {
    const c = Atomics.add(next, 0, 1);
    const lo = c * size;
    if (lo >= total) return;
    yield [lo, Math.min(total, lo + size)];
  }
}

/** This thread's dot-product kernel for vectors of width dim (its memory grows to the largest block, and stays). */
const kernels = new Map<number, BlockDots>();
function blockDots(dim: number): BlockDots {
  let dots = kernels.get(dim);
  if (!dots) {
    dots = new BlockDots(dim);
    kernels.set(dim, dots);
  }
  return dots;
}

/** Rows per chunk of the nearest-centres task. */
const CENTRE_ROWS = 256;

/**
 * The `p` centres with the largest dot products with each row, best first (ties: smaller index): every chunk's
 * rows against all centres in one kernel call (the centres stay in the kernel's memory for the whole task).
 */
function nearestCentresTask(t: NearestCentresTask): void {
  const { p, nc } = t;
  const dots = blockDots(t.dim);
  dots.reserve(CENTRE_ROWS, nc);
  for (let c = 0; c < nc; c++) dots.setCandidate(c, t.centres, c);
  const best = new Int32Array(p);
  const bestDot = new Float64Array(p);
  for (const [lo, hi] of chunks(t.next, t.rows, CENTRE_ROWS)) {
    for (let r = lo; r < hi; r++) dots.setQuery(r - lo, t.vectors, r);
    const { out, width } = dots.compute(hi - lo, nc);
    for (let r = lo; r < hi; r++) {
      const o = (r - lo) * width;
      let filled = 0;
      for (let c = 0; c < nc; c++) {
        const s = out[o + c] as number;
        if (filled === p && s <= (bestDot[p - 1] as number)) continue;
        let pos = filled < p ? filled++ : p - 1;
        while (pos > 0 && (bestDot[pos - 1] as number) < s) {
          bestDot[pos] = bestDot[pos - 1] as number;
          best[pos] = best[pos - 1] as number;
          pos--;
        }
        bestDot[pos] = s;
        best[pos] = c;
      }
      t.out.set(best, r * p);
    }
  }
}

/** Copies local heap rows (already sorted) to rows `rows[a]` of the shared graph, whole k-slot rows. */
function writeRows(g: KnnGraph, rows: ArrayLike<number>, out: GraphArrays): void {
  const k = g.k;
  for (let a = 0; a < rows.length; a++) {
    const r = rows[a] as number;
    out.indices.set(g.indices.subarray(a * k, a * k + k), r * k);
    out.distances.set(g.distances.subarray(a * k, a * k + k), r * k);
    out.counts[r] = g.counts[a] as number;
  }
}

function ivfSearchTask(t: IvfSearchTask): void {
  const { dim, k, probes, probeOf, start, items, vectors } = t;
  const qStart = t.queries?.start ?? start;
  const qItems = t.queries?.items ?? items;
  const dots = blockDots(dim);
  for (const [l0, l1] of chunks(t.next, t.lists, t.listsPerChunk)) {
    // The chunk's rows: the queries filed under lists l0..l1, each with a local heap.
    const rows = qItems.subarray(qStart[l0] as number, qStart[l1] as number);
    const m = rows.length;
    if (m === 0) continue;
    const heaps = new RowHeaps(m, k);
    // (probed list, local row) pairs, grouped by list: one dense block per list probed from this chunk.
    const keys = new Float64Array(m * probes);
    for (let a = 0; a < m; a++) {
      const at = t.queries ? (qStart[l0] as number) + a : (rows[a] as number);
      for (let q = 0; q < probes; q++) keys[a * probes + q] = (probeOf[at * probes + q] as number) * m + a;
    }
    keys.sort();
    for (let s = 0; s < keys.length;) {
      const list = Math.floor((keys[s] as number) / m);
      let e = s;
      while (e < keys.length && Math.floor((keys[e] as number) / m) === list) e++;
      const qLocal = new Int32Array(e - s);
      const qGlobal = new Int32Array(e - s);
      for (let u = s; u < e; u++) {
        const a = (keys[u] as number) - list * m;
        qLocal[u - s] = a;
        qGlobal[u - s] = rows[a] as number;
      }
      const cIdx = items.subarray(start[list] as number, start[list + 1] as number);
      s = e;
      searchBlock(heaps, dots, { vectors, rows: qGlobal, heapRows: qLocal }, { vectors, rows: cIdx }, true);
    }
    writeRows(heaps.finish(), rows, t.out);
  }
}

export function gather(vectors: Float32Array, rows: ArrayLike<number>, dim: number, out: Float32Array): void {
  for (let a = 0; a < rows.length; a++) {
    const r = rows[a] as number;
    out.set(vectors.subarray(r * dim, (r + 1) * dim), a * dim);
  }
}

/** Rows whose candidates go through the dot-product kernel together (its query tile is 4 rows high). */
const REFINE_GROUP = 4;

/**
 * Neighbour-of-neighbour refinement of rows [lo, hi) (the local join of NN-descent, Dong et al. 2011): each
 * row is compared with the rows in the neighbourhoods (neighbours and reverse neighbours) of the rows in its
 * own (reverseHops 2), or with their neighbours only (1), and keeps the k nearest of old and new. Reverse neighbours matter: a person's faces split between
 * two parts of the index that each found only their own side are joined through whoever links them in either
 * direction. A candidate u reached through j is skipped when both links (row ~ j, j ~ u) were already there
 * a round earlier: u was offered to the row then and either is among its neighbours or lost to all of them,
 * so it could not enter now. The result is exactly the full round's, at the cost of the new links only.
 */
function refineTask(t: RefineTask): void {
  const { vectors, dim, k, graph, adj } = t;
  const { start, items, fresh } = adj;
  const two = t.reverseHops === 2;
  // The second link (j ~ u) is new if j's neighbourhood (two hops) or j's neighbours (one) lacked u before.
  const bit = two ? 1 : 2;
  // stamp[j] === row + 1 marks j as already a candidate of row (no duplicates in a row's heap).
  const stamp = new Int32Array(t.n);
  // slotStamp[j] === group marks j as already in the group's candidate rows, at slot[j].
  const slotStamp = new Int32Array(t.n);
  const slot = new Int32Array(t.n);
  const rowList = new Int32Array(t.rowsPerChunk);
  // Each row's candidates, then the group's union of them: the kernel computes every row of the group against
  // the union in one call (products a row does not need are computed and ignored: the kernel is about 19x the
  // plain loop, and the group's rows, neighbours in list order, share many candidates).
  let candidates: Int32Array = new Int32Array(1024);
  const candidateEnd = new Int32Array(REFINE_GROUP + 1);
  let union: Int32Array = new Int32Array(1024);
  let count = 0;
  let unionCount = 0;
  let group = 0;
  const add = (i: number, j: number): void => {
    if (j === i || stamp[j] === i + 1) return;
    stamp[j] = i + 1;
    if (count === candidates.length) candidates = grown(candidates);
    candidates[count++] = j;
    if (slotStamp[j] !== group) {
      slotStamp[j] = group;
      if (unionCount === union.length) union = grown(union);
      slot[j] = unionCount;
      union[unionCount++] = j;
    }
  };
  const dots = blockDots(dim);
  for (const [lo, hi] of chunks(t.next, t.n, t.rowsPerChunk)) {
    const heaps = new RowHeaps(hi - lo, k);
    for (let g0 = lo; g0 < hi; g0 += REFINE_GROUP) {
      const g1 = Math.min(hi, g0 + REFINE_GROUP);
      group++;
      count = 0;
      unionCount = 0;
      for (let i = g0; i < g1; i++) {
        const s0 = start[i] as number;
        const s1 = start[i + 1] as number;
        // The row's own neighbourhood (its current neighbours are in it), then the rows through it.
        for (let s = s0; s < s1; s++) add(i, items[s] as number);
        for (let s = s0; s < s1; s++) {
          const j = items[s] as number;
          const u0 = start[j] as number;
          const u1 = two ? (start[j + 1] as number) : u0 + (graph.counts[j] as number);
          if ((fresh[s] as number) & 1) {
            for (let u = u0; u < u1; u++) add(i, items[u] as number);
          } else {
            for (let u = u0; u < u1; u++) if ((fresh[u] as number) & bit) add(i, items[u] as number);
          }
        }
        candidateEnd[i - g0 + 1] = count;
        rowList[i - lo] = i;
      }
      if (unionCount === 0) continue;
      dots.reserve(g1 - g0, unionCount);
      for (let i = g0; i < g1; i++) dots.setQuery(i - g0, vectors, i);
      for (let b = 0; b < unionCount; b++) dots.setCandidate(b, vectors, union[b] as number);
      const { out, width } = dots.compute(g1 - g0, unionCount);
      for (let i = g0; i < g1; i++) {
        const a = i - g0;
        for (let c = candidateEnd[a] as number; c < (candidateEnd[a + 1] as number); c++) {
          const j = candidates[c] as number;
          const d = unitDistance(out[a * width + (slot[j] as number)] as number);
          if (heaps.accepts(i - lo, d)) heaps.offer(i - lo, d, j);
        }
      }
    }
    const g = heaps.finish();
    let changed = 0;
    for (let i = lo; i < hi; i++) {
      const h = i - lo;
      const c = g.counts[h] as number;
      let same = c === graph.counts[i];
      for (let s = 0; same && s < c; s++) same = g.indices[h * k + s] === graph.indices[i * k + s];
      if (!same) changed++;
    }
    writeRows(g, rowList.subarray(0, hi - lo), t.out);
    if (changed > 0) Atomics.add(t.changed, 0, changed);
  }
}

/** A copy of `a` with twice the room. */
function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function bruteTask(t: BruteTask): KnnReply {
  const { n, k, block, vectors, dim } = t;
  const heaps = new RowHeaps(n, k);
  const dots = blockDots(dim);
  dots.reserve(block, block);
  const blocks = Math.ceil(n / block);
  // Block pairs (I <= J) in row-major order of the upper triangle; pair p -> (I, J).
  const pairs = (blocks * (blocks + 1)) / 2;
  for (const [lo, hi] of chunks(t.next, pairs, 1)) {
    for (let p = lo; p < hi; p++) {
      const [bi, bj] = upperPair(p, blocks);
      const i0 = bi * block;
      const j0 = bj * block;
      bruteBlockPair(heaps, dots, vectors, i0, Math.min(n, i0 + block), j0, Math.min(n, j0 + block));
    }
  }
  return { dist: heaps.dist, idx: heaps.idx, count: heaps.count };
}

/** The p-th pair (I, J), I <= J < blocks, of the upper triangle in row-major order. */
function upperPair(p: number, blocks: number): [number, number] {
  let i = 0;
  let rest = p;
  while (rest >= blocks - i) {
    rest -= blocks - i;
    i++;
  }
  return [i, i + rest];
}

/**
 * Every pair (i, j) with i in [i0, i1), j in [j0, j1) (j > i when the blocks are the same) offered to both
 * rows' heaps, from one kernel call.
 */
function bruteBlockPair(
  heaps: RowHeaps,
  dots: BlockDots,
  v: Float32Array,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
): void {
  for (let i = i0; i < i1; i++) dots.setQuery(i - i0, v, i);
  for (let j = j0; j < j1; j++) dots.setCandidate(j - j0, v, j);
  const { out, width } = dots.compute(i1 - i0, j1 - j0);
  for (let i = i0; i < i1; i++) {
    const o = (i - i0) * width - j0;
    for (let j = j0 === i0 ? i + 1 : j0; j < j1; j++) {
      const d = unitDistance(out[o + j] as number);
      if (heaps.accepts(i, d)) heaps.offer(i, d, j);
      if (heaps.accepts(j, d)) heaps.offer(j, d, i);
    }
  }
}
