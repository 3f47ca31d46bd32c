/**
 * Exact k-nearest-neighbour search by blocked brute force over unit vectors.
 *
 * Time is O(n^2 · d) (every pair's dot product, each computed once and offered to both rows), memory is
 * O(n · k) for the result plus the input: no n x n matrix is ever built. Pairs of 128-row blocks are shared
 * out to worker threads (knn-threads.ts; the same graph for any number), each block pair in one call of the
 * WebAssembly SIMD kernel (simd-dots.ts; about 18 billion multiply-adds per second per core on this project's
 * machine, 20k faces = 2·10^8 pairs = 2.6·10^10 MACs). It is exact,
 * so the clustering it feeds is reproducible; above 10k faces the clusterer uses the IVF index (ivf-knn.ts).
 *
 * Distances are FaceNet's squared L2, from dot products of unit vectors: D = 2 - 2·dot, clamped to 0..4,
 * stored as float32. Neighbour lists are sorted by (distance, index), so ties are broken by canonical index.
 */
import { RowHeaps, searchBlock, type KnnGraph } from './knn-kernels.js';
import { BlockDots } from './simd-dots.js';
import { defaultKnnWorkers, withKnnRunner } from './knn-threads.js';
import { asShared, sharedInt32 } from './shared-arrays.js';

export { RowHeaps, unitDistance, type KnnGraph } from './knn-kernels.js';

export interface KnnOptions {
  /** Neighbours per face (default 16). Capped at n - 1. */
  k?: number;
  /** Worker threads (knn-threads.ts; 0: this thread). Default: defaultKnnWorkers(n). The graph is the same. */
  workers?: number;
}

export const DEFAULT_K = 16;

/** scikit-learn style: configure, then fit() on the packed vectors to get the graph. */
export class BruteForceKnn {
  readonly k: number;
  readonly workers: number | undefined;
  constructor(options: KnnOptions = {}) {
    this.k = options.k ?? DEFAULT_K;
    this.workers = options.workers;
    if (!(Number.isInteger(this.k) && this.k >= 1)) throw new RangeError('k must be a positive integer');
  }

  /** k nearest other rows of each row of `vectors` (n x dim, unit rows). */
  fit(vectors: Float32Array, dim: number): KnnGraph {
    const n = dim > 0 ? vectors.length / dim : 0;
    const k = Math.max(1, Math.min(this.k, n - 1));
    if (n < 2) return new RowHeaps(n, k).finish();
    return withKnnRunner(this.workers ?? defaultKnnWorkers(n), (runner) => {
      // Blocks of 128 rows, every pair of blocks once (each pair of rows is computed once, offered to both);
      // the threads' heaps hold disjoint candidates of each row, so their merge is the exact graph.
      const replies = runner.run({
        kind: 'brute',
        vectors: asShared(vectors),
        dim,
        n,
        k,
        block: 128,
        next: sharedInt32(1),
      });
      const [first] = replies;
      const heaps = new RowHeaps(n, k);
      if (replies.length === 1 && first) {
        heaps.dist.set(first.dist);
        heaps.idx.set(first.idx);
        heaps.count.set(first.count);
      } else {
        for (const r of replies) {
          if (!r) continue;
          for (let i = 0; i < n; i++) {
            for (let s = 0; s < (r.count[i] as number); s++) {
              const d = r.dist[i * k + s] as number;
              if (heaps.accepts(i, d)) heaps.offer(i, d, r.idx[i * k + s] as number);
            }
          }
        }
      }
      return heaps.finish();
    });
  }

  /** k nearest rows of `base` for each row of `queries` (both unit rows of width dim). */
  query(base: Float32Array, queries: Float32Array, dim: number): KnnGraph {
    const nb = dim > 0 ? base.length / dim : 0;
    const nq = dim > 0 ? queries.length / dim : 0;
    const k = Math.max(1, Math.min(this.k, nb));
    const heaps = new RowHeaps(nq, k);
    const dots = new BlockDots(dim);
    const all = (m: number): Int32Array => Int32Array.from({ length: m }, (_, i) => i);
    // Blocks of 256 queries keep the query rows cache-resident while the base streams past.
    const candidates = { vectors: base, rows: all(nb) };
    for (let q0 = 0; q0 < nq; q0 += 256) {
      const rows = all(Math.min(nq, q0 + 256) - q0).map((i) => i + q0);
      searchBlock(heaps, dots, { vectors: queries, rows, heapRows: rows }, candidates);
    }
    return heaps.finish();
  }
}
