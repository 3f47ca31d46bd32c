/**
 * Agglomerative clustering on a k-nearest-neighbour graph: memory O(n·k + n·d) instead of O(n^2).
 *
 * The graph decides which cluster pairs are *candidates*: A and B can merge only if some member of A has a
 * member of B among its k nearest neighbours (or the reverse). That is the one approximation. The linkage
 * value of a candidate pair is not estimated from the edges; it is computed exactly from the vectors, so
 * missing edges need no made-up distance:
 * - average: for squared L2, the mean over all member pairs has a closed form in the clusters' vector sums
 *   S and squared-norm sums Q: (|B|·Q_A + |A|·Q_B - 2·S_A·S_B) / (|A|·|B|). O(d) per pair, exact.
 * - single: the minimum over the candidate edges (exact whenever the closest pair is a kNN edge, which is
 *   what a kNN graph is for).
 * - complete: max(link(A,N), link(B,N)) when both are known, else computed over all member pairs.
 * Merging proceeds closest candidate first (a heap keyed by (linkage, a, b), stale entries skipped lazily)
 * until the closest candidate exceeds the threshold. With the graph complete (k = n - 1) this is exactly
 * hac-exact.ts; test/helpers/compare-clustering.ts measures how close it is for practical k.
 */
import {
  adaptiveValue,
  checkAdaptive,
  labelsFromMerges,
  type AdaptiveCriterion,
  type AgglomerationProblem,
  type Labels,
} from './agglomeration.js';
import { rowDistance } from './faces.js';
import type { KnnGraph } from './knn.js';
import { PairHeap } from './pair-heap.js';

export function graphAgglomerate(p: AgglomerationProblem, graph: KnnGraph): Labels {
  const { vectors, dim, root, threshold, linkage } = p;
  const n = root.length;
  if (graph.n !== n) throw new RangeError(`graph has ${graph.n} rows for ${n} faces`);

  // Each live cluster is represented in linkages by a list of member rows: its anchor (the user's confirmed
  // faces) if it holds one, else all its members (agglomeration.ts). size, sqSum, sums and the list
  // (head → next → … → tail) describe that representation; mergedInto records the full membership.
  const size = new Int32Array(n).fill(1);
  const anchored = new Uint8Array(n);
  if (p.anchored) for (let i = 0; i < n; i++) anchored[i] = p.anchored[root[i] as number] as number;
  const alive = new Uint8Array(n);
  const mergedInto = new Int32Array(n);
  const head = new Int32Array(n);
  const next = new Int32Array(n).fill(-1);
  const tail = new Int32Array(n);
  const sqSum = new Float64Array(n);
  // Vector sums of representations with more than one member (a single row's sum is the row itself):
  // allocated lazily, so memory is O(d) per multi-face cluster alive, not O(n·d) up front.
  const sums: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(n);
  for (let i = 0; i < n; i++) {
    mergedInto[i] = i;
    head[i] = i;
    tail[i] = i;
    let q = 0;
    for (let t = 0; t < dim; t++) q += (vectors[i * dim + t] as number) ** 2;
    sqSum[i] = q;
  }

  const addRowInto = (s: Float64Array, row: number): void => {
    for (let t = 0; t < dim; t++) s[t] = (s[t] as number) + (vectors[row * dim + t] as number);
  };
  const sumOf = (c: number): ArrayLike<number> => {
    const h = head[c] as number;
    return sums[c] ?? vectors.subarray(h * dim, h * dim + dim);
  };

  /** `gone` joins `keep`; returns which side represents the result ('keep', 'gone' or 'both'). */
  const joinMembers = (keep: number, gone: number): 'keep' | 'gone' | 'both' => {
    alive[gone] = 0;
    mergedInto[gone] = keep;
    const ak = anchored[keep] as number;
    const ag = anchored[gone] as number;
    if (ak && !ag) {
      sums[gone] = undefined;
      return 'keep';
    }
    if (ag && !ak) {
      head[keep] = head[gone] as number;
      tail[keep] = tail[gone] as number;
      size[keep] = size[gone] as number;
      sqSum[keep] = sqSum[gone] as number;
      sums[keep] = sums[gone];
      sums[gone] = undefined;
      anchored[keep] = 1;
      return 'gone';
    }
    next[tail[keep] as number] = head[gone] as number;
    tail[keep] = tail[gone] as number;
    let s = sums[keep];
    if (!s) {
      s = new Float64Array(dim);
      addRowInto(s, head[keep] as number);
      sums[keep] = s;
    }
    const g = sums[gone];
    if (g) for (let t = 0; t < dim; t++) s[t] = (s[t] as number) + (g[t] as number);
    else addRowInto(s, head[gone] as number);
    size[keep] = (size[keep] as number) + (size[gone] as number);
    sqSum[keep] = (sqSum[keep] as number) + (sqSum[gone] as number);
    sums[gone] = undefined;
    return 'both';
  };

  // Initial clusters: must-link groups (every row joins its root; roots are the smallest index).
  for (let i = 0; i < n; i++) if (root[i] === i) alive[i] = 1;
  for (let i = 0; i < n; i++) {
    if (root[i] !== i) {
      alive[i] = 1;
      joinMembers(root[i] as number, i);
    }
  }

  const adaptive = linkage === 'average' && checkAdaptive(p.adaptive);
  /** Mean squared distance of a representation's members to their centroid (0 for one face). */
  const spreadOf = (c: number): number => {
    const n = size[c] as number;
    if (n === 1) return 0;
    const s = sumOf(c);
    let norm = 0;
    for (let t = 0; t < dim; t++) norm += (s[t] as number) ** 2;
    return Math.max(0, (sqSum[c] as number) / n - norm / (n * n));
  };
  const averageLink = (a: number, b: number): number => {
    const sa = sumOf(a);
    const sb = sumOf(b);
    let dot = 0;
    for (let t = 0; t < dim; t++) dot += (sa[t] as number) * (sb[t] as number);
    const na = size[a] as number;
    const nb = size[b] as number;
    const plain = Math.max(0, (nb * (sqSum[a] as number) + na * (sqSum[b] as number) - 2 * dot) / (na * nb));
    if (!adaptive) return plain;
    // agglomeration.ts (AdaptiveCriterion): what the merge is judged by instead of the plain linkage; with an
    // anchor, never looser than the plain linkage to the confirmed faces.
    const value = adaptiveValue(p.adaptive as AdaptiveCriterion, plain, spreadOf(a), spreadOf(b), na, nb);
    return anchored[a] || anchored[b] ? Math.max(plain, value) : value;
  };
  /** Single or complete linkage over every pair of the two representations. */
  const memberLink = (a: number, b: number): number => {
    let best = linkage === 'single' ? Infinity : 0;
    for (let i = head[a] as number; i >= 0; i = next[i] as number) {
      for (let j = head[b] as number; j >= 0; j = next[j] as number) {
        const d = rowDistance(vectors, dim, i, j);
        best = linkage === 'single' ? Math.min(best, d) : Math.max(best, d);
      }
    }
    return best;
  };

  const cannot = new Map<number, Set<number>>();
  const addCannot = (a: number, b: number): void => {
    let s = cannot.get(a);
    if (!s) cannot.set(a, (s = new Set()));
    s.add(b);
  };
  for (const [a, b] of p.cannot) {
    addCannot(a, b);
    addCannot(b, a);
  }
  const isBlocked = (a: number, b: number): boolean => cannot.get(a)?.has(b) ?? false;

  // Candidate adjacency between live clusters, with the current linkage value.
  const adj: (Map<number, number> | undefined)[] = new Array<Map<number, number> | undefined>(n);
  for (let i = 0; i < n; i++) if (alive[i]) adj[i] = new Map();
  const heap = new PairHeap(Math.max(16, n * 2));
  const setLink = (a: number, b: number, d: number): void => {
    (adj[a] as Map<number, number>).set(b, d);
    (adj[b] as Map<number, number>).set(a, d);
  };

  for (let i = 0; i < n; i++) {
    const base = i * graph.k;
    const cnt = graph.counts[i] as number;
    const ra = root[i] as number;
    for (let s = 0; s < cnt; s++) {
      const j = graph.indices[base + s] as number;
      const rb = root[j] as number;
      if (ra === rb || isBlocked(ra, rb)) continue;
      const known = (adj[ra] as Map<number, number>).get(rb);
      if (linkage === 'single') {
        const d = rowDistance(vectors, dim, i, j);
        if (known === undefined || d < known) setLink(ra, rb, d);
      } else if (known === undefined) {
        setLink(ra, rb, linkage === 'average' ? averageLink(ra, rb) : memberLink(ra, rb));
      }
    }
  }
  for (let a = 0; a < n; a++) {
    const m = adj[a];
    if (!m) continue;
    for (const [b, d] of m) if (a < b && d <= threshold) heap.push(d, a, b);
  }

  for (;;) {
    const top = heap.pop();
    if (!top) break;
    const [d, a, b] = top;
    // Lazy deletion: skip entries whose clusters died or whose linkage changed since they were pushed.
    if (!alive[a] || !alive[b] || adj[a]?.get(b) !== d) continue;
    if (d > threshold) break;
    const adjA = adj[a] as Map<number, number>;
    const adjB = adj[b] as Map<number, number>;
    const represented = joinMembers(a, b); // a < b: a survives
    // Cannot-links of b now belong to a.
    const cb = cannot.get(b);
    if (cb) {
      for (const x of cb) {
        const cx = cannot.get(x) as Set<number>;
        cx.delete(b);
        cx.add(a);
        addCannot(a, x);
      }
      cannot.delete(b);
    }
    const merged = new Map<number, number>();
    const update = (x: number, da: number | undefined, db: number | undefined): void => {
      const ax = adj[x] as Map<number, number>;
      ax.delete(a);
      ax.delete(b);
      if (isBlocked(a, x)) return;
      // The merged cluster's linkage to x: recomputed from sums (average); for single and complete, the side
      // that alone represents the merged cluster keeps its value, or both sides' values combine.
      let link: number;
      if (linkage === 'average') link = averageLink(a, x);
      else if (represented === 'keep') link = da ?? memberLink(a, x);
      else if (represented === 'gone') link = db ?? memberLink(a, x);
      else if (linkage === 'single') link = Math.min(da ?? Infinity, db ?? Infinity);
      else link = da !== undefined && db !== undefined ? Math.max(da, db) : memberLink(a, x);
      merged.set(x, link);
      ax.set(a, link);
      if (link <= threshold) heap.push(link, a, x);
    };
    for (const [x, da] of adjA) if (x !== b) update(x, da, adjB.get(x));
    for (const [x, db] of adjB) if (x !== a && !adjA.has(x)) update(x, undefined, db);
    adj[a] = merged;
    adj[b] = undefined;
  }
  return labelsFromMerges(mergedInto);
}
