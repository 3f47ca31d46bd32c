/**
 * The kernels every kNN graph builder shares (knn.ts, ivf-knn.ts, knn-tasks.ts): the graph's layout, per-row
 * bounded heaps, FaceNet distance from a dot product, and the 4 x 2 register-tiled dot products.
 */

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

/**
 * Every query row against every candidate row (4 x 2 tiles), offering (distance, candidate index) to the
 * query's heap (heap row qIdx[a]). `self`, when given, names each query's own row in the candidates' index
 * space, and drops the pair of a row with itself.
 */
export function searchBlock(
  heaps: RowHeaps,
  q: Float32Array,
  qIdx: Int32Array,
  c: Float32Array,
  cIdx: Int32Array,
  dim: number,
  self?: Int32Array,
): void {
  const qn = qIdx.length;
  const cn = cIdx.length;
  const offer = (a: number, b: number, dot: number): void => {
    const i = qIdx[a] as number;
    const j = cIdx[b] as number;
    if (self && self[a] === j) return;
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
export function dotTile4x2(
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
