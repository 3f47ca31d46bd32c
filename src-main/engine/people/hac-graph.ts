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
 *
 * Memory at scale (a million faces): everything lives in typed arrays, no object per cluster or per edge.
 * Candidate adjacency is one arena of (neighbour, linkage) segments, one per live cluster: a merge writes
 * the survivor's new segment at the end and edits its neighbours' segments in place (they only shrink), and
 * the arena is compacted when it fills. Vector sums of multi-face clusters sit in pages of slots, reused
 * through a free list. The order of neighbours in a segment is immaterial: heap pops follow the total order
 * (linkage, a, b) and every linkage is a symmetric function of its two clusters.
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

/** Slots of `dim` float64s (the vector sums of multi-face clusters), in pages, reused through a free list. */
class SumSlots {
  private static readonly PAGE_BITS = 12;
  readonly pages: Float64Array[] = [];
  private free: number[] = [];
  private used = 0;
  constructor(private readonly dim: number) {}

  /** A zeroed slot. */
  alloc(): number {
    const reused = this.free.pop();
    if (reused !== undefined) {
      this.page(reused).fill(0, this.offset(reused), this.offset(reused) + this.dim);
      return reused;
    }
    const slot = this.used++;
    if (slot >> SumSlots.PAGE_BITS >= this.pages.length) {
      this.pages.push(new Float64Array((1 << SumSlots.PAGE_BITS) * this.dim));
    }
    return slot;
  }
  release(slot: number): void {
    this.free.push(slot);
  }
  page(slot: number): Float64Array {
    return this.pages[slot >> SumSlots.PAGE_BITS] as Float64Array;
  }
  offset(slot: number): number {
    return (slot & ((1 << SumSlots.PAGE_BITS) - 1)) * this.dim;
  }
}

/**
 * Each live cluster's candidate neighbours with their current linkage: segment [start, start + len) of one
 * arena (capacity cap); NaN stands for "no value" (a linkage is never NaN).
 */
class Adjacency {
  readonly start: Int32Array;
  readonly len: Int32Array;
  readonly cap: Int32Array;
  nb: Int32Array;
  lk: Float64Array;
  top = 0;
  constructor(n: number, capacity: number) {
    this.start = new Int32Array(n);
    this.len = new Int32Array(n);
    this.cap = new Int32Array(n);
    this.nb = new Int32Array(capacity);
    this.lk = new Float64Array(capacity);
  }

  /** Reserves a segment of `cap` entries for cluster c (its old one, if any, becomes garbage). */
  reserve(c: number, cap: number): number {
    if (this.top + cap > this.nb.length) this.compact(cap);
    this.start[c] = this.top;
    this.cap[c] = cap;
    this.len[c] = 0;
    this.top += cap;
    return this.start[c] as number;
  }

  /** Moves every live segment (trimmed to its length) into a fresh arena with room for `need` more. */
  private compact(need: number): void {
    let live = 0;
    for (let c = 0; c < this.len.length; c++) live += this.len[c] as number;
    const size = Math.max(1024, Math.ceil((live + need) * 1.5));
    const nb = new Int32Array(size);
    const lk = new Float64Array(size);
    let top = 0;
    for (let c = 0; c < this.len.length; c++) {
      const l = this.len[c] as number;
      if (l === 0) {
        this.cap[c] = 0;
        continue;
      }
      const s = this.start[c] as number;
      nb.set(this.nb.subarray(s, s + l), top);
      lk.set(this.lk.subarray(s, s + l), top);
      this.start[c] = top;
      this.cap[c] = l;
      top += l;
    }
    this.nb = nb;
    this.lk = lk;
    this.top = top;
  }

  /** c's linkage to x, NaN when x is not its neighbour. */
  get(c: number, x: number): number {
    const s = this.start[c] as number;
    const e = s + (this.len[c] as number);
    for (let p = s; p < e; p++) if (this.nb[p] === x) return this.lk[p] as number;
    return NaN;
  }
}

export function graphAgglomerate(p: AgglomerationProblem, graph: KnnGraph): Labels {
  const { vectors, dim, root, threshold, linkage } = p;
  const n = root.length;
  if (graph.n !== n) throw new RangeError(`graph has ${graph.n} rows for ${n} faces`);

  // Each live cluster is represented in linkages by a list of member rows: its anchor (the user's confirmed
  // faces) if it holds one, else all its members (agglomeration.ts). size, sqSum, the vector sum (slot) and
  // the list (head → next → … → tail) describe that representation; mergedInto records the full membership.
  const size = new Int32Array(n).fill(1);
  const anchored = new Uint8Array(n);
  if (p.anchored) for (let i = 0; i < n; i++) anchored[i] = p.anchored[root[i] as number] as number;
  const alive = new Uint8Array(n);
  const mergedInto = new Int32Array(n);
  const head = new Int32Array(n);
  const next = new Int32Array(n).fill(-1);
  const tail = new Int32Array(n);
  const sqSum = new Float64Array(n);
  // Vector sums of representations with more than one member (a single row's sum is the row itself): a slot
  // per multi-face cluster alive, so memory is O(d) per such cluster, not O(n·d) up front.
  const slots = new SumSlots(dim);
  const slotOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    mergedInto[i] = i;
    head[i] = i;
    tail[i] = i;
    let q = 0;
    for (let t = 0; t < dim; t++) q += (vectors[i * dim + t] as number) ** 2;
    sqSum[i] = q;
  }

  const addRowInto = (s: Float64Array, o: number, row: number): void => {
    for (let t = 0; t < dim; t++) s[o + t] = (s[o + t] as number) + (vectors[row * dim + t] as number);
  };

  /** `gone` joins `keep`; returns which side represents the result ('keep', 'gone' or 'both'). */
  const joinMembers = (keep: number, gone: number): 'keep' | 'gone' | 'both' => {
    alive[gone] = 0;
    mergedInto[gone] = keep;
    const ak = anchored[keep] as number;
    const ag = anchored[gone] as number;
    const sg = slotOf[gone] as number;
    if (ak && !ag) {
      if (sg >= 0) slots.release(sg);
      slotOf[gone] = -1;
      return 'keep';
    }
    if (ag && !ak) {
      head[keep] = head[gone] as number;
      tail[keep] = tail[gone] as number;
      size[keep] = size[gone] as number;
      sqSum[keep] = sqSum[gone] as number;
      if ((slotOf[keep] as number) >= 0) slots.release(slotOf[keep] as number);
      slotOf[keep] = sg;
      slotOf[gone] = -1;
      anchored[keep] = 1;
      return 'gone';
    }
    next[tail[keep] as number] = head[gone] as number;
    tail[keep] = tail[gone] as number;
    let sk = slotOf[keep] as number;
    if (sk < 0) {
      sk = slots.alloc();
      addRowInto(slots.page(sk), slots.offset(sk), head[keep] as number);
      slotOf[keep] = sk;
    }
    const s = slots.page(sk);
    const o = slots.offset(sk);
    if (sg >= 0) {
      const g = slots.page(sg);
      const og = slots.offset(sg);
      for (let t = 0; t < dim; t++) s[o + t] = (s[o + t] as number) + (g[og + t] as number);
      slots.release(sg);
    } else {
      addRowInto(s, o, head[gone] as number);
    }
    size[keep] = (size[keep] as number) + (size[gone] as number);
    sqSum[keep] = (sqSum[keep] as number) + (sqSum[gone] as number);
    slotOf[gone] = -1;
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
  /** The dot product of two representations' vector sums (in the order of t, whichever arrays hold them). */
  const sumDot = (a: number, b: number): number => {
    const sa = slotOf[a] as number;
    const sb = slotOf[b] as number;
    let dot = 0;
    if (sa < 0 && sb < 0) {
      const oa = (head[a] as number) * dim;
      const ob = (head[b] as number) * dim;
      for (let t = 0; t < dim; t++) dot += (vectors[oa + t] as number) * (vectors[ob + t] as number);
    } else if (sa >= 0 && sb >= 0) {
      const pa = slots.page(sa);
      const oa = slots.offset(sa);
      const pb = slots.page(sb);
      const ob = slots.offset(sb);
      for (let t = 0; t < dim; t++) dot += (pa[oa + t] as number) * (pb[ob + t] as number);
    } else if (sa >= 0) {
      const pa = slots.page(sa);
      const oa = slots.offset(sa);
      const ob = (head[b] as number) * dim;
      for (let t = 0; t < dim; t++) dot += (pa[oa + t] as number) * (vectors[ob + t] as number);
    } else {
      const oa = (head[a] as number) * dim;
      const pb = slots.page(sb);
      const ob = slots.offset(sb);
      for (let t = 0; t < dim; t++) dot += (vectors[oa + t] as number) * (pb[ob + t] as number);
    }
    return dot;
  };
  /** Mean squared distance of a representation's members to their centroid (0 for one face). */
  const spreadOf = (c: number): number => {
    const m = size[c] as number;
    if (m === 1) return 0;
    const sc = slotOf[c] as number;
    let norm = 0;
    if (sc >= 0) {
      const s = slots.page(sc);
      const o = slots.offset(sc);
      for (let t = 0; t < dim; t++) norm += (s[o + t] as number) ** 2;
    } else {
      const o = (head[c] as number) * dim;
      for (let t = 0; t < dim; t++) norm += (vectors[o + t] as number) ** 2;
    }
    return Math.max(0, (sqSum[c] as number) / m - norm / (m * m));
  };
  const averageLink = (a: number, b: number): number => {
    const dot = sumDot(a, b);
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
  const isBlocked = (a: number, b: number): boolean => cannot.size > 0 && (cannot.get(a)?.has(b) ?? false);

  // Candidate adjacency between live clusters: every graph edge between two roots, both ways, once per pair.
  const edgeRoots = (visit: (ra: number, rb: number, i: number, j: number) => void): void => {
    for (let i = 0; i < n; i++) {
      const base = i * graph.k;
      const cnt = graph.counts[i] as number;
      const ra = root[i] as number;
      for (let s = 0; s < cnt; s++) {
        const j = graph.indices[base + s] as number;
        const rb = root[j] as number;
        if (ra !== rb && !isBlocked(ra, rb)) visit(ra, rb, i, j);
      }
    }
  };
  const degree = new Int32Array(n);
  let entries = 0;
  edgeRoots((ra, rb) => {
    degree[ra] = (degree[ra] as number) + 1;
    degree[rb] = (degree[rb] as number) + 1;
    entries += 2;
  });
  const adj = new Adjacency(n, entries + 1024);
  for (let c = 0; c < n; c++) if (degree[c]) adj.reserve(c, degree[c] as number);
  // Scratch indexed by cluster: mark[x] === stamp says x was seen in the current pass, at position pos[x].
  const mark = new Int32Array(n);
  const pos = new Int32Array(n);
  let stamp = 0;
  // Fill the segments with duplicates, then keep each neighbour once (for single linkage, its closest edge).
  edgeRoots((ra, rb, i, j) => {
    const d = linkage === 'single' ? rowDistance(vectors, dim, i, j) : NaN;
    for (const [x, y] of [
      [ra, rb],
      [rb, ra],
    ] as const) {
      const e = (adj.start[x] as number) + (adj.len[x] as number);
      adj.nb[e] = y;
      adj.lk[e] = d;
      adj.len[x] = (adj.len[x] as number) + 1;
    }
  });
  for (let a = 0; a < n; a++) {
    const s = adj.start[a] as number;
    const e = s + (adj.len[a] as number);
    stamp++;
    let w = s;
    for (let r = s; r < e; r++) {
      const x = adj.nb[r] as number;
      const d = adj.lk[r] as number;
      if (mark[x] === stamp) {
        const q = pos[x] as number;
        if (d < (adj.lk[q] as number)) adj.lk[q] = d;
        continue;
      }
      mark[x] = stamp;
      pos[x] = w;
      adj.nb[w] = x;
      adj.lk[w] = d;
      w++;
    }
    adj.len[a] = w - s;
  }
  // Linkages of average and complete, once per pair (a < x), copied to x's entry for a.
  if (linkage !== 'single') {
    for (let a = 0; a < n; a++) {
      const s = adj.start[a] as number;
      const e = s + (adj.len[a] as number);
      for (let r = s; r < e; r++) {
        const x = adj.nb[r] as number;
        if (x > a) adj.lk[r] = linkage === 'average' ? averageLink(a, x) : memberLink(a, x);
        else adj.lk[r] = adj.get(x, a);
      }
    }
  }
  let pushes = 0;
  for (let a = 0; a < n; a++) {
    const s = adj.start[a] as number;
    for (let r = s; r < s + (adj.len[a] as number); r++)
      if (a < (adj.nb[r] as number) && (adj.lk[r] as number) <= threshold) pushes++;
  }
  const heap = new PairHeap(Math.max(16, pushes * 2));
  for (let a = 0; a < n; a++) {
    const s = adj.start[a] as number;
    for (let r = s; r < s + (adj.len[a] as number); r++) {
      const b = adj.nb[r] as number;
      const d = adj.lk[r] as number;
      if (a < b && d <= threshold) heap.push(d, a, b);
    }
  }

  // Scratch for one merge: the union of the two clusters' neighbours, with each side's linkage (NaN: none).
  let unionX = new Int32Array(64);
  let unionDa = new Float64Array(64);
  let unionDb = new Float64Array(64);

  /** Removes a and b from x's segment, in place (the order of a segment is immaterial). */
  const dropPair = (x: number, a: number, b: number): void => {
    const s = adj.start[x] as number;
    let e = s + (adj.len[x] as number);
    for (let r = s; r < e;) {
      const y = adj.nb[r] as number;
      if (y === a || y === b) {
        e--;
        adj.nb[r] = adj.nb[e] as number;
        adj.lk[r] = adj.lk[e] as number;
      } else {
        r++;
      }
    }
    adj.len[x] = e - s;
  };

  while (heap.size > 0) {
    heap.pop();
    const d = heap.topD;
    const a = heap.topA;
    const b = heap.topB;
    // Lazy deletion: skip entries whose clusters died or whose linkage changed since they were pushed.
    if (!alive[a] || !alive[b]) continue;
    const shorter = (adj.len[a] as number) <= (adj.len[b] as number);
    if ((shorter ? adj.get(a, b) : adj.get(b, a)) !== d) continue;
    if (d > threshold) break;
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
    // The union of a's and b's neighbours (less each other).
    const degA = adj.len[a] as number;
    const degB = adj.len[b] as number;
    if (unionX.length < degA + degB) {
      unionX = new Int32Array((degA + degB) * 2);
      unionDa = new Float64Array((degA + degB) * 2);
      unionDb = new Float64Array((degA + degB) * 2);
    }
    stamp++;
    let m = 0;
    for (let r = adj.start[a] as number, e = r + degA; r < e; r++) {
      const x = adj.nb[r] as number;
      if (x === b) continue;
      mark[x] = stamp;
      pos[x] = m;
      unionX[m] = x;
      unionDa[m] = adj.lk[r] as number;
      unionDb[m] = NaN;
      m++;
    }
    for (let r = adj.start[b] as number, e = r + degB; r < e; r++) {
      const x = adj.nb[r] as number;
      if (x === a) continue;
      if (mark[x] === stamp) {
        unionDb[pos[x] as number] = adj.lk[r] as number;
        continue;
      }
      unionX[m] = x;
      unionDa[m] = NaN;
      unionDb[m] = adj.lk[r] as number;
      m++;
    }
    adj.len[b] = 0;
    adj.len[a] = 0;
    const out = adj.reserve(a, m);
    let kept = 0;
    for (let u = 0; u < m; u++) {
      const x = unionX[u] as number;
      const da = unionDa[u] as number;
      const db = unionDb[u] as number;
      dropPair(x, a, b);
      if (isBlocked(a, x)) continue;
      // The merged cluster's linkage to x: recomputed from sums (average); for single and complete, the side
      // that alone represents the merged cluster keeps its value, or both sides' values combine.
      const hasA = da === da;
      const hasB = db === db;
      let link: number;
      if (linkage === 'average') link = averageLink(a, x);
      else if (represented === 'keep') link = hasA ? da : memberLink(a, x);
      else if (represented === 'gone') link = hasB ? db : memberLink(a, x);
      else if (linkage === 'single') link = Math.min(hasA ? da : Infinity, hasB ? db : Infinity);
      else link = hasA && hasB ? Math.max(da, db) : memberLink(a, x);
      adj.nb[out + kept] = x;
      adj.lk[out + kept] = link;
      kept++;
      // x lost one or two entries above: room for a's, in place.
      const ex = (adj.start[x] as number) + (adj.len[x] as number);
      adj.nb[ex] = a;
      adj.lk[ex] = link;
      adj.len[x] = (adj.len[x] as number) + 1;
      if (link <= threshold) heap.push(link, a, x);
    }
    adj.len[a] = kept;
  }
  return labelsFromMerges(mergedInto);
}
