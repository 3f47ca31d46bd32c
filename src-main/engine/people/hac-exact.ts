/**
 * Exact agglomerative clustering: the reference the kNN-graph version is measured against.
 *
 * Keeps the full n x n cluster distance matrix (float64: 8·n^2 bytes, 200 MB at n = 5000, hence the cap)
 * and a cannot-link matrix (n^2 bytes). Cluster distances are updated after each merge by the
 * Lance-Williams formulas (average: size-weighted mean; single: min; complete: max), which give exactly the
 * linkage over all member pairs. The closest pair is found with a nearest-neighbour cache (each cluster
 * remembers its nearest neighbour; only clusters whose neighbour took part in a merge rescan), O(n^2) time
 * in practice instead of the naive O(n^3).
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

/** Largest n accepted by the exact algorithm (memory 9·n^2 bytes). */
export const MAX_EXACT_FACES = 6000;

/**
 * `onMerge` (optional) hears every merge in order with its value: for plain average linkage without
 * anchors the values never decrease, so one run at a loose threshold gives every stricter cut (the
 * dendrogram the evaluation references are cut from).
 */
export function exactAgglomerate(
  p: AgglomerationProblem,
  onMerge?: (keep: number, gone: number, linkage: number) => void,
): Labels {
  const { vectors, dim, root, threshold, linkage } = p;
  const n = root.length;
  if (n > MAX_EXACT_FACES) throw new RangeError(`exact clustering is limited to ${MAX_EXACT_FACES} faces (got ${n})`);
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = rowDistance(vectors, dim, i, j);
      D[i * n + j] = d;
      D[j * n + i] = d;
    }
  }
  const blocked = new Uint8Array(n * n);
  // weight: how many members represent the cluster in its linkages (its anchor's members if it holds an
  // anchor, else all of them); see agglomeration.ts.
  const weight = new Int32Array(n).fill(1);
  const anchored = new Uint8Array(n);
  if (p.anchored) for (let i = 0; i < n; i++) anchored[i] = p.anchored[root[i] as number] as number;
  const alive = new Uint8Array(n).fill(1);
  const mergedInto = new Int32Array(n);
  for (let i = 0; i < n; i++) mergedInto[i] = i;
  // Sum of member-pair distances within each representation: its spread is within / weight^2 (for squared
  // L2, the mean squared distance to the centroid), which the adaptive criterion needs.
  const within = new Float64Array(n);
  const adaptive = linkage === 'average' && checkAdaptive(p.adaptive);
  /** The value a merge of i and j is judged by: the linkage, or the adaptive criterion (agglomeration.ts). */
  const value = (i: number, j: number): number => {
    const d = D[i * n + j] as number;
    if (!adaptive) return d;
    const wi = weight[i] as number;
    const wj = weight[j] as number;
    const si = (within[i] as number) / (wi * wi);
    const sj = (within[j] as number) / (wj * wj);
    const v = adaptiveValue(p.adaptive as AdaptiveCriterion, d, si, sj, wi, wj);
    return anchored[i] || anchored[j] ? Math.max(d, v) : v;
  };

  const merge = (a: number, b: number): void => {
    const keep = Math.min(a, b);
    const gone = Math.max(a, b);
    const ak = anchored[keep] as number;
    const ag = anchored[gone] as number;
    // An anchored side alone represents the merged cluster; otherwise both sides do.
    const wk = ak || !ag ? (weight[keep] as number) : 0;
    const wg = ag || !ak ? (weight[gone] as number) : 0;
    within[keep] =
      wk === 0
        ? (within[gone] as number)
        : wg === 0
          ? (within[keep] as number)
          : (within[keep] as number) + (within[gone] as number) + wk * wg * (D[keep * n + gone] as number);
    for (let x = 0; x < n; x++) {
      if (!alive[x] || x === keep || x === gone) continue;
      const dk = D[keep * n + x] as number;
      const dg = D[gone * n + x] as number;
      const d =
        wk === 0
          ? dg
          : wg === 0
            ? dk
            : linkage === 'average'
              ? (wk * dk + wg * dg) / (wk + wg)
              : linkage === 'single'
                ? Math.min(dk, dg)
                : Math.max(dk, dg);
      D[keep * n + x] = d;
      D[x * n + keep] = d;
      const bl = (blocked[keep * n + x] as number) | (blocked[gone * n + x] as number);
      blocked[keep * n + x] = bl;
      blocked[x * n + keep] = bl;
    }
    weight[keep] = wk + wg;
    anchored[keep] = ak | ag;
    alive[gone] = 0;
    mergedInto[gone] = keep;
  };

  // Must-link groups first, whatever their distances: rows join their group's root (the smallest index).
  for (let i = 0; i < n; i++) if (root[i] !== i) merge(root[i] as number, i);
  for (const [a, b] of p.cannot) {
    blocked[a * n + b] = 1;
    blocked[b * n + a] = 1;
  }

  const nn = new Int32Array(n).fill(-1);
  const nnd = new Float64Array(n).fill(Infinity);
  const rescan = (i: number): void => {
    let best = -1;
    let bd = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i || !alive[j] || blocked[i * n + j]) continue;
      const d = value(i, j);
      if (d < bd) {
        bd = d;
        best = j;
      }
    }
    nn[i] = best;
    nnd[i] = bd;
  };
  for (let i = 0; i < n; i++) if (alive[i]) rescan(i);

  for (;;) {
    // Closest pair by (distance, smaller index, larger index).
    let bi = -1;
    let bd = Infinity;
    let bLo = 0;
    let bHi = 0;
    for (let i = 0; i < n; i++) {
      const j = nn[i] as number;
      if (!alive[i] || j < 0) continue;
      const d = nnd[i] as number;
      const lo = Math.min(i, j);
      const hi = Math.max(i, j);
      if (d < bd || (d === bd && (lo < bLo || (lo === bLo && hi < bHi)))) {
        bi = i;
        bd = d;
        bLo = lo;
        bHi = hi;
      }
    }
    if (bi < 0 || !(bd <= threshold)) break;
    merge(bLo, bHi);
    onMerge?.(bLo, bHi, bd);
    const keep = bLo;
    const gone = bHi;
    rescan(keep);
    for (let x = 0; x < n; x++) {
      if (!alive[x] || x === keep) continue;
      if (nn[x] === keep || nn[x] === gone) {
        rescan(x);
      } else if (!blocked[x * n + keep]) {
        // Distances to other clusters did not change; only the merged cluster can now be nearer
        // (single linkage) or equally near with a smaller index.
        const d = value(x, keep);
        if (d < (nnd[x] as number) || (d === nnd[x] && keep < (nn[x] as number))) {
          nn[x] = keep;
          nnd[x] = d;
        }
      }
    }
  }
  return labelsFromMerges(mergedInto);
}
