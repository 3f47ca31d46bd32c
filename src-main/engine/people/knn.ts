/**
 * Exact k-nearest-neighbour search by blocked brute force over unit vectors.
 *
 * Time is O(n^2 · d) (every pair's dot product, each computed once and offered to both rows), memory is
 * O(n · k) for the result plus the input: no n x n matrix is ever built. Rows are processed in blocks of
 * four against two streamed columns at a time (a 4 x 2 register tile); with d = 128 this runs at roughly
 * 0.5-1 billion multiply-adds per second on one core in V8 (20k faces = 2·10^8 pairs = 2.6·10^10 MACs). It is
 * exact, so the clustering it feeds is reproducible; for hundreds of thousands of faces an approximate index
 * would be the next step (see the module README in index.ts).
 *
 * Distances are FaceNet's squared L2, from dot products of unit vectors: D = 2 - 2·dot, clamped to 0..4,
 * stored as float32. Neighbour lists are sorted by (distance, index), so ties are broken by canonical index.
 */

export interface KnnGraph {
  n: number;
  k: number;
  /** Row i's neighbours at [i*k, i*k + count[i]), nearest first; unused slots hold -1. */
  indices: Int32Array;
  distances: Float32Array;
  counts: Int32Array;
}

export interface KnnOptions {
  /** Neighbours per face (default 16). Capped at n - 1. */
  k?: number;
}

export const DEFAULT_K = 16;

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
  private static worse(d1: number, i1: number, d2: number, i2: number): boolean {
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
    const order: number[] = [];
    for (let row = 0; row < this.rows; row++) {
      const base = row * k;
      const c = this.count[row] as number;
      order.length = 0;
      for (let s = 0; s < c; s++) order.push(s);
      const d = this.dist.slice(base, base + c);
      const ix = this.idx.slice(base, base + c);
      order.sort((a, b) => (d[a] as number) - (d[b] as number) || (ix[a] as number) - (ix[b] as number));
      order.forEach((o, s) => {
        this.dist[base + s] = d[o] as number;
        this.idx[base + s] = ix[o] as number;
      });
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

/** scikit-learn style: configure, then fit() on the packed vectors to get the graph. */
export class BruteForceKnn {
  readonly k: number;
  constructor(options: KnnOptions = {}) {
    this.k = options.k ?? DEFAULT_K;
    if (!(Number.isInteger(this.k) && this.k >= 1)) throw new RangeError('k must be a positive integer');
  }

  /** k nearest other rows of each row of `vectors` (n x dim, unit rows). */
  fit(vectors: Float32Array, dim: number): KnnGraph {
    const n = dim > 0 ? vectors.length / dim : 0;
    const k = Math.max(1, Math.min(this.k, n - 1));
    const heaps = new RowHeaps(n, k);
    if (n < 2) return heaps.finish();
    const tile = new Float64Array(8);
    // Four rows at a time against every later column: each pair (i < j) is computed once.
    for (let i0 = 0; i0 < n; i0 += 4) {
      const rows = Math.min(4, n - i0);
      const r0 = i0 * dim;
      const r1 = (i0 + (rows > 1 ? 1 : 0)) * dim;
      const r2 = (i0 + (rows > 2 ? 2 : 0)) * dim;
      const r3 = (i0 + (rows > 3 ? 3 : 0)) * dim;
      // Pairs inside the block.
      for (let a = 0; a < rows; a++) {
        for (let b = a + 1; b < rows; b++) this.offerPair(heaps, vectors, dim, i0 + a, i0 + b);
      }
      // Two columns at a time (dotTile4x2).
      let j = i0 + rows;
      for (; j + 1 < n; j += 2) {
        dotTile4x2(vectors, r0, r1, r2, r3, vectors, j * dim, (j + 1) * dim, dim, tile);
        for (let a = 0; a < rows; a++) {
          this.offer(heaps, i0 + a, j, tile[a] as number);
          this.offer(heaps, i0 + a, j + 1, tile[4 + a] as number);
        }
      }
      if (j < n) for (let a = 0; a < rows; a++) this.offerPair(heaps, vectors, dim, i0 + a, j);
    }
    return heaps.finish();
  }

  private offer(heaps: RowHeaps, i: number, j: number, dot: number): void {
    const d = unitDistance(dot);
    if (heaps.accepts(i, d)) heaps.offer(i, d, j);
    if (heaps.accepts(j, d)) heaps.offer(j, d, i);
  }

  private offerPair(heaps: RowHeaps, vectors: Float32Array, dim: number, i: number, j: number): void {
    let s = 0;
    for (let t = 0; t < dim; t++) s += (vectors[i * dim + t] as number) * (vectors[j * dim + t] as number);
    this.offer(heaps, i, j, s);
  }

  /** k nearest rows of `base` for each row of `queries` (both unit rows of width dim). */
  query(base: Float32Array, queries: Float32Array, dim: number): KnnGraph {
    const nb = dim > 0 ? base.length / dim : 0;
    const nq = dim > 0 ? queries.length / dim : 0;
    const k = Math.max(1, Math.min(this.k, nb));
    const heaps = new RowHeaps(nq, k);
    const all = (m: number): Int32Array => Int32Array.from({ length: m }, (_, i) => i);
    // Blocks of 256 queries keep the query rows cache-resident while the base streams past.
    const baseIdx = all(nb);
    for (let q0 = 0; q0 < nq; q0 += 256) {
      const q1 = Math.min(nq, q0 + 256);
      const qIdx = all(q1 - q0).map((i) => i + q0);
      searchBlock(heaps, queries.subarray(q0 * dim, q1 * dim), qIdx, base, baseIdx, dim, false);
    }
    return heaps.finish();
  }
}

/**
 * Every query row against every candidate row (4 x 2 tiles), offering (distance, candidate index) to the
 * query's heap (heap row qIdx[a]). `skipSelf` drops pairs where query and candidate are the same row (when
 * both index the same matrix).
 */
export function searchBlock(
  heaps: RowHeaps,
  q: Float32Array,
  qIdx: Int32Array,
  c: Float32Array,
  cIdx: Int32Array,
  dim: number,
  skipSelf: boolean,
): void {
  const qn = qIdx.length;
  const cn = cIdx.length;
  const offer = (a: number, b: number, dot: number): void => {
    const i = qIdx[a] as number;
    const j = cIdx[b] as number;
    if (skipSelf && i === j) return;
    const d = unitDistance(dot);
    if (heaps.accepts(i, d)) heaps.offer(i, d, j);
  };
  const tile = new Float64Array(8);
  for (let a0 = 0; a0 < qn; a0 += 4) {
    const rows = Math.min(4, qn - a0);
    const r0 = a0 * dim;
    const r1 = (a0 + (rows > 1 ? 1 : 0)) * dim;
    const r2 = (a0 + (rows > 2 ? 2 : 0)) * dim;
    const r3 = (a0 + (rows > 3 ? 3 : 0)) * dim;
    for (let b = 0; b < cn; b += 2) {
      const two = b + 1 < cn;
      dotTile4x2(q, r0, r1, r2, r3, c, b * dim, two ? (b + 1) * dim : b * dim, dim, tile);
      for (let a = 0; a < rows; a++) {
        offer(a0 + a, b, tile[a] as number);
        if (two) offer(a0 + a, b + 1, tile[4 + a] as number);
      }
    }
  }
}

/**
 * The eight dot products of a 4 x 2 register tile: rows r0..r3 of `a` (element offsets) with the rows of `b`
 * at offsets x and y; out[0..3] = a_r · b_x, out[4..7] = a_r · b_y. Eight products share six loads per step,
 * about twice as fast in V8 as one column at a time. Repeat an offset to fill a partial tile.
 */
function dotTile4x2(
  a: Float32Array,
  r0: number,
  r1: number,
  r2: number,
  r3: number,
  b: Float32Array,
  x: number,
  y: number,
  dim: number,
  out: Float64Array,
): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let u0 = 0;
  let u1 = 0;
  let u2 = 0;
  let u3 = 0;
  for (let t = 0; t < dim; t++) {
    const bx = b[x + t] as number;
    const by = b[y + t] as number;
    const a0 = a[r0 + t] as number;
    const a1 = a[r1 + t] as number;
    const a2 = a[r2 + t] as number;
    const a3 = a[r3 + t] as number;
    s0 += a0 * bx;
    s1 += a1 * bx;
    s2 += a2 * bx;
    s3 += a3 * bx;
    u0 += a0 * by;
    u1 += a1 * by;
    u2 += a2 * by;
    u3 += a3 * by;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
  out[4] = u0;
  out[5] = u1;
  out[6] = u2;
  out[7] = u3;
}
