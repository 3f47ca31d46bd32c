/**
 * Candidate pairs for merge suggestions and the measures the rankings read (merge-suggestions.ts ranks and
 * cuts; docs/merge-suggestions.md has the rules tried, how one was chosen on development data and what it
 * covers). Pure.
 *
 * Candidates are the pairs of people joined by at least one edge of the k-NN graph of their faces (the
 * clustering's k and method), so the work grows with faces x k, not with the square of the people; a pair
 * with no edge is far for every face. For each candidate:
 * - average: the average-linkage distance (what the clustering compares with the threshold);
 * - link: each face's distance to its nearest neighbour in the other person, from both sides, the mean of
 *   the LINK_PAIRS smallest (of all, when fewer): one pair of look-alikes is not enough;
 * - relative: link / the mean of the two people's spreads, a spread being the median over a person's faces of
 *   the distance to its nearest own neighbour (a face with none counts its farthest neighbour, a lower bound;
 *   a one-face person takes the median spread of the others, the threshold when there are none). The first
 *   rule tried; it listed loose people with everybody near them (the doc has the figures);
 * - adaptive: the value the clustering itself judges a merge of the two by (agglomeration.ts, adaptiveValue
 *   under the clusterer's DEFAULT_ADAPTIVE; see mergeValue), so "the pairs the grouping nearly joined".
 */
import { adaptiveValue, type AdaptiveCriterion } from './agglomeration.js';
import { DEFAULT_ADAPTIVE, FaceClusterer } from './clusterer.js';
import { packFaces, type PackedFaces } from './faces.js';
import { DEFAULT_K, type KnnGraph } from './knn.js';
import type { FaceVector } from '../storage/types.js';
import { averageLinkage, groupSum, type GroupSum } from './people-analysis.js';
import { groupByPerson, toRecord } from './people-state.js';

/** How many of the closest cross-person distances make a link: one pair of look-alikes is not enough. */
export const LINK_PAIRS = 3;

export interface MergeCandidate {
  /** The two people, a < b. */
  a: number;
  b: number;
  /** Mean of the LINK_PAIRS smallest nearest-face distances between them (squared L2). */
  link: number;
  /** Average-linkage distance between them (mean squared L2 over all pairs of their faces). */
  average: number;
  /** link relative to the two people's mean spread (the first rule tried; docs/merge-suggestions.md). */
  relative: number;
  /** The clustering's own merge value for the two people (mergeValue). */
  adaptive: number;
  /** Faces of the smaller of the two people. */
  smaller: number;
}

export interface MergeCandidateOptions {
  /** Stand-in spread when no person has two faces (the clustering threshold). */
  threshold: number;
  /** Neighbours per face (default: the clustering's). */
  k?: number;
  /** Cross-person distances averaged into a link (default LINK_PAIRS). */
  linkPairs?: number;
  /** The k-NN graph builder (default: the clustering's method: exact, or IVF for large libraries). */
  knn?: (faces: PackedFaces, k: number) => KnnGraph;
}

function median(values: number[]): number {
  const v = [...values].sort((x, y) => x - y);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

const defaultKnn = (faces: PackedFaces, k: number): KnnGraph => new FaceClusterer({ k }).knnGraph(faces);

/** Every pair of people joined by at least one neighbour edge, with the measures a ranking reads (by ids). */
export function mergeCandidates(faces: readonly FaceVector[], options: MergeCandidateOptions): MergeCandidate[] {
  const grouped = faces.filter((f) => f.personId !== null);
  if (grouped.length < 2) return [];
  const k = options.k ?? DEFAULT_K;
  const m = options.linkPairs ?? LINK_PAIRS;
  const packed = packFaces(grouped.map(toRecord));
  const personOfId = new Map(grouped.map((f) => [f.id, f.personId as number]));
  const personOf = packed.ids.map((id) => personOfId.get(id as number) as number);
  const graph = (options.knn ?? defaultKnn)(packed, k);
  const size = new Map<number, number>();
  for (const p of personOf) size.set(p, (size.get(p) ?? 0) + 1);

  const ownNearest = new Map<number, number[]>();
  /** Per pair "a:b" (a < b): each face's distance to its nearest neighbour in the other person. */
  const cross = new Map<string, number[]>();
  for (let i = 0; i < graph.n; i++) {
    const p = personOf[i] as number;
    const base = i * graph.k;
    const count = graph.counts[i] as number;
    let own: number | undefined;
    const seen = new Set<number>();
    for (let t = 0; t < count; t++) {
      const j = graph.indices[base + t] as number;
      const d = graph.distances[base + t] as number;
      const q = personOf[j] as number;
      if (q === p) {
        own ??= d;
        continue;
      }
      if (seen.has(q)) continue;
      seen.add(q);
      const key = p < q ? `${p}:${q}` : `${q}:${p}`;
      const list = cross.get(key);
      if (list) list.push(d);
      else cross.set(key, [d]);
    }
    // No neighbour of its own person: the farthest neighbour bounds the distance from below.
    own ??= count > 0 ? (graph.distances[base + count - 1] as number) : undefined;
    if (own !== undefined && (size.get(p) as number) > 1) {
      const list = ownNearest.get(p);
      if (list) list.push(own);
      else ownNearest.set(p, [own]);
    }
  }

  const spreadOf = new Map([...ownNearest].map(([p, d]) => [p, median(d)]));
  const fallback = spreadOf.size > 0 ? median([...spreadOf.values()]) : options.threshold;
  const spread = (p: number): number => spreadOf.get(p) ?? fallback;

  const sums = new Map([...groupByPerson(grouped)].map(([p, f]) => [p, personSum(f)]));
  const out: MergeCandidate[] = [];
  for (const [key, distances] of cross) {
    const [a, b] = key.split(':').map(Number) as [number, number];
    distances.sort((x, y) => x - y);
    const used = distances.slice(0, m);
    const link = used.reduce((s, d) => s + d, 0) / used.length;
    const scale = Math.max(1e-9, (spread(a) + spread(b)) / 2);
    const [sa, sb] = [sums.get(a) as PersonSum, sums.get(b) as PersonSum];
    const average = averageLinkage(sa, sb);
    const smaller = Math.min(size.get(a) as number, size.get(b) as number);
    out.push({ a, b, link, average, relative: link / scale, adaptive: mergeValue(sa, sb, average), smaller });
  }
  return out.sort((x, y) => x.a - y.a || x.b - y.b);
}

/** A person's face sum, its spread and whether the user confirmed any of its faces (an anchor). */
export interface PersonSum extends GroupSum {
  /** Mean squared L2 of its faces to their centroid (0 for one face): 1 - |sum / n|^2 for unit vectors. */
  spread: number;
  anchored: boolean;
}

export function personSum(faces: readonly FaceVector[]): PersonSum {
  const g = groupSum(faces);
  let norm = 0;
  for (const x of g.sum) norm += x * x;
  const spread = g.n > 1 ? Math.max(0, 1 - norm / (g.n * g.n)) : 0;
  return { ...g, spread, anchored: faces.some((f) => f.assignment === 'confirmed') };
}

/**
 * The value the clustering judges a merge of two people by (agglomeration.ts, AdaptiveCriterion, the same
 * adaptiveValue both agglomeration algorithms call, under the clusterer's DEFAULT_ADAPTIVE): their average
 * linkage less a credit for their spreads, relative to a slack for their sizes; with confirmed faces on
 * either side never less than the plain average linkage, as the clusterer does for an anchor. The clusterer
 * measures an anchored cluster by its confirmed faces alone; here a person is measured by all its faces (the
 * person as the user sees it). At or below the threshold the grouping would have joined the two, had the
 * order of merges and its neighbour graph let it.
 */
export function mergeValue(
  a: PersonSum,
  b: PersonSum,
  average = averageLinkage(a, b),
  criterion: AdaptiveCriterion = DEFAULT_ADAPTIVE,
): number {
  const value = adaptiveValue(criterion, average, a.spread, b.spread, a.n, b.n);
  return a.anchored || b.anchored ? Math.max(average, value) : value;
}

/** A pair of people, their average linkage and the clustering's merge value for them. */
export interface AveragePair {
  a: number;
  b: number;
  average: number;
  /** mergeValue of the two. */
  adaptive: number;
  /** Faces of the smaller of the two people. */
  smaller: number;
}

/**
 * Every pair of people (a < b) with their average linkage and merge value, from each person's sum of unit vectors:
 * O(people^2 x d) and no face graph, so the shipped ranking costs little even for a large library (the graph's
 * candidates are needed only by the measures that read nearest faces). Only the pairs `keep` accepts are
 * returned, so a library of thousands of people never holds millions of pairs.
 */
export function averagePairs(
  faces: readonly FaceVector[],
  keep: (average: number, smaller: number, adaptive: number) => boolean = () => true,
): AveragePair[] {
  const groups = [...groupByPerson(faces)].sort((x, y) => x[0] - y[0]);
  const sums = groups.map(([, f]) => personSum(f));
  const out: AveragePair[] = [];
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      const [si, sj] = [sums[i] as PersonSum, sums[j] as PersonSum];
      const average = averageLinkage(si, sj);
      const smaller = Math.min(si.n, sj.n);
      const adaptive = mergeValue(si, sj, average);
      if (!keep(average, smaller, adaptive)) continue;
      out.push({
        a: (groups[i] as [number, FaceVector[]])[0],
        b: (groups[j] as [number, FaceVector[]])[0],
        average,
        adaptive,
        smaller,
      });
    }
  }
  return out;
}
