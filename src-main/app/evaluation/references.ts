/**
 * The two references a grouping is judged against, computed on the same embeddings (evaluation only; the
 * product never runs them):
 *
 * - exact average-linkage HAC (hac-exact.ts, every pair, no kNN graph, no quality floor): one run at the
 *   loosest threshold records the dendrogram, and every stricter threshold is a cut of it (average linkage
 *   never merges at a lower value than an earlier merge). Its best threshold per set, chosen with the
 *   answers, is the bar issue 15 sets: "a global threshold tuned per set".
 * - DBSCAN (Ester et al. 1996) as PhotoPrism and Immich use it for faces: a face with at least `minPoints`
 *   faces (itself included) within eps is a core face; core faces within eps of each other are one person;
 *   a non-core face within eps of a core face joins the nearest such core face's person; the rest stay
 *   alone (noise). Distances are squared L2 like everywhere else (cosine distance = squared L2 / 2, so an
 *   eps in one is an eps in the other). minPoints 3 is Immich's default "minimum recognised faces".
 */
import { exactAgglomerate, packFaces, prepareConstraints, rowDistance } from '../../engine/people/index.js';
import type { EmbeddedFace } from './cluster.js';
import { find, union, unionFindParents } from '../../../src-shared/union-find.js';

export const DBSCAN_MIN_POINTS = 3;

/** Labels (per face, in input order) from a union-find over canonical rows. */
function labelsOf(faces: readonly EmbeddedFace[], rowOf: ReadonlyMap<string, number>, parent: Int32Array): number[] {
  return faces.map((f) => find(parent, rowOf.get(f.id) as number));
}

function packed(faces: readonly EmbeddedFace[]) {
  const p = packFaces(faces.map((f) => ({ id: f.id, embedding: f.embedding })));
  const rowOf = new Map<string, number>();
  p.ids.forEach((id, r) => rowOf.set(String(id), r));
  return { p, rowOf };
}

/** Exact average-linkage HAC: a function from threshold to labels (input order), from one dendrogram. */
export function exactAverageCuts(faces: readonly EmbeddedFace[], maxThreshold: number): (t: number) => number[] {
  const { p, rowOf } = packed(faces);
  const merges: Array<[number, number, number]> = [];
  exactAgglomerate(
    {
      vectors: p.vectors,
      dim: p.dim,
      root: prepareConstraints(p).root,
      cannot: [],
      threshold: maxThreshold,
      linkage: 'average',
    },
    (a, b, d) => merges.push([a, b, d]),
  );
  return (t: number) => {
    const parent = unionFindParents(p.ids.length);
    for (const [a, b, d] of merges) {
      if (d > t) break;
      union(parent, a, b);
    }
    return labelsOf(faces, rowOf, parent);
  };
}

/**
 * DBSCAN at any eps up to `maxEps`: the neighbour lists within maxEps are computed once (O(n^2·d)), each eps
 * then costs O(edges). Ties (equal distances) are broken by row, so the result is deterministic.
 */
export function dbscanCuts(
  faces: readonly EmbeddedFace[],
  maxEps: number,
  minPoints = DBSCAN_MIN_POINTS,
): (eps: number) => number[] {
  const { p, rowOf } = packed(faces);
  const n = p.ids.length;
  const near: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = rowDistance(p.vectors, p.dim, i, j);
      if (d <= maxEps) {
        near[i]!.push([d, j]);
        near[j]!.push([d, i]);
      }
    }
  }
  for (const list of near) list.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return (eps: number) => {
    const core = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let c = 1;
      for (const [d] of near[i]!) {
        if (d > eps) break;
        c++;
      }
      if (c >= minPoints) core[i] = 1;
    }
    const parent = unionFindParents(n);
    for (let i = 0; i < n; i++) {
      if (!core[i]) continue;
      for (const [d, j] of near[i]!) {
        if (d > eps) break;
        if (core[j] && j > i) union(parent, i, j);
      }
    }
    // Border faces join their nearest core face (after the core components are final).
    const attach: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      if (core[i]) continue;
      for (const [d, j] of near[i]!) {
        if (d > eps) break;
        if (core[j]) {
          attach.push([i, j]);
          break;
        }
      }
    }
    for (const [i, j] of attach) parent[i] = find(parent, j);
    return labelsOf(faces, rowOf, parent);
  };
}
