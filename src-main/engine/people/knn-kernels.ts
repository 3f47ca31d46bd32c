/**
 * The kernels every kNN graph builder shares (knn.ts, ivf-knn.ts, knn-tasks.ts): the graph's layout, per-row
 * bounded heaps, FaceNet distance from a dot product, and the search of a block of rows against another (the
 * dot products themselves are simd-dots.ts).
 */
import type { BlockDots } from './simd-dots.js';

export interface KnnGraph {
  n: number;
  k: number;
  /** Row i's neighbours at [i*k, i*k + count[i]), nearest first; unused slots hold -1. */
  indices: Int32Array;
  distances: Float32Array;
  counts: Int32Array;
}

/** Fixed-capacity per-row max-heaps on (distance, index): the worst kept neighbour sits at the root. */
export class RowHeaps {
  readonly dist: Float32Array;
  readonly idx: Int32Array;
  readonly count: Int32Array;
  constructor(
    readonly rows: number,
    readonly k: number,
  ) {
    this.dist = new Float32Array(rows * k);
    this.idx = new Int32Array(rows * k).fill(-1);
    this.count = new Int32Array(rows);
  }

  /** (d1, i1) worse than (d2, i2)? */
  static worse(d1: number, i1: number, d2: number, i2: number): boolean {
    return d1 > d2 || (d1 === d2 && i1 > i2);
  }

  offer(row: number, d: number, j: number): void {
    const k = this.k;
    const base = row * k;
    const c = this.count[row] as number;
    const dist = this.dist;
    const idx = this.idx;
    if (c < k) {
      // Sift up.
      let pos = c;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        const pd = dist[base + parent] as number;
        const pi = idx[base + parent] as number;
        if (!RowHeaps.worse(d, j, pd, pi)) break;
        dist[base + pos] = pd;
        idx[base + pos] = pi;
        pos = parent;
      }
      dist[base + pos] = d;
      idx[base + pos] = j;
      this.count[row] = c + 1;
      return;
    }
    if (!RowHeaps.worse(dist[base] as number, idx[base] as number, d, j)) return;
    // Replace the root and sift down.
    let pos = 0;
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= k) break;
      let child = l;
      const r = l + 1;
      if (
        r < k &&
        RowHeaps.worse(
          dist[base + r] as number,
          idx[base + r] as number,
          dist[base + l] as number,
          idx[base + l] as number,
        )
      ) {
        child = r;
      }
      const cd = dist[base + child] as number;
      const ci = idx[base + child] as number;
      if (!RowHeaps.worse(cd, ci, d, j)) break;
      dist[base + pos] = cd;
      idx[base + pos] = ci;
      pos = child;
    }
    dist[base + pos] = d;
    idx[base + pos] = j;
  }

  /** Cheap pre-check: would (d, j) enter row's heap? Avoids the call for the vast majority of pairs. */
  accepts(row: number, d: number): boolean {
    return (this.count[row] as number) < this.k || d <= (this.dist[row * this.k] as number);
  }

  /** Sort every row nearest-first (by distance, then index) and hand the arrays over. */
  finish(): KnnGraph {
    const k = this.k;
    const dist = this.dist;
    const idx = this.idx;
    // Insertion sort in place: k is small, and no per-row allocation (millions of rows at scale).
    for (let row = 0; row < this.rows; row++) {
      const base = row * k;
      const c = this.count[row] as number;
      for (let s = 1; s < c; s++) {
        const d = dist[base + s] as number;
        const j = idx[base + s] as number;
        let pos = s;
        while (pos > 0 && RowHeaps.worse(dist[base + pos - 1] as number, idx[base + pos - 1] as number, d, j)) {
          dist[base + pos] = dist[base + pos - 1] as number;
          idx[base + pos] = idx[base + pos - 1] as number;
          pos--;
        }
        dist[base + pos] = d;
        idx[base + pos] = j;
      }
    }
    return { n: this.rows, k, indices: this.idx, distances: this.dist, counts: this.count };
  }
}

/** FaceNet distance of two unit vectors from their dot product, rounded to the float32 stored in graphs. */
export function unitDistance(dot: number): number {
  const v = 2 - 2 * dot;
  // Round to float32 once, here, so every comparison sees exactly the stored value.
  return Math.fround(v < 0 ? 0 : v > 4 ? 4 : v);
}

/** Candidate rows per kernel call: with a few hundred query rows, both sides stay in the core's L2 cache. */
const CANDIDATE_BLOCK = 256;

/** Rows of a vector matrix (width dim) that take part in a block search. */
export interface BlockRows {
  vectors: Float32Array;
  rows: ArrayLike<number>;
}

/**
 * Every query row against every candidate row, in the SIMD kernel (simd-dots.ts), offering (distance, candidate
 * row) to query a's heap row heapRows[a]. `skipSelf`: queries and candidates index the same matrix, and a row
 * is not its own neighbour.
 */
export function searchBlock(
  heaps: RowHeaps,
  dots: BlockDots,
  queries: BlockRows & { heapRows: ArrayLike<number> },
  candidates: BlockRows,
  skipSelf = false,
): void {
  const qn = queries.rows.length;
  const cn = candidates.rows.length;
  if (qn === 0 || cn === 0) return;
  dots.reserve(qn, Math.min(cn, CANDIDATE_BLOCK));
  for (let a = 0; a < qn; a++) dots.setQuery(a, queries.vectors, queries.rows[a] as number);
  for (let c0 = 0; c0 < cn; c0 += CANDIDATE_BLOCK) {
    const m = Math.min(CANDIDATE_BLOCK, cn - c0);
    for (let b = 0; b < m; b++) dots.setCandidate(b, candidates.vectors, candidates.rows[c0 + b] as number);
    const { out, width } = dots.compute(qn, m);
    for (let a = 0; a < qn; a++) {
      const i = queries.heapRows[a] as number;
      const self = skipSelf ? (queries.rows[a] as number) : -1;
      for (let b = 0; b < m; b++) {
        const j = candidates.rows[c0 + b] as number;
        if (j === self) continue;
        const d = unitDistance(out[a * width + b] as number);
        if (heaps.accepts(i, d)) heaps.offer(i, d, j);
      }
    }
  }
}
