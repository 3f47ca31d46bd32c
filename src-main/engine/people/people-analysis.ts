/**
 * Read-only analyses over the people state: average linkage between groups, distances to a group's centre,
 * the threshold preview (what a re-cluster at another threshold would merge and split), the ROC curve from the
 * user's confirmed labels, and the similarity order of the Unsorted pool. Pure functions.
 */
import { rocCurve } from '../../../src-shared/verification.js';
import type { FaceVector } from '../storage/types.js';
import type { ClusteringResult } from './clusterer.js';
import { FaceClusterer } from './clusterer.js';
import type { PeopleState } from './people-state.js';
import { groupByPerson, toRecord } from './people-state.js';
import { squaredL2 } from '../../../src-shared/vectors.js';

/** Sum of the unit vectors of a group and its size: average linkage between groups in closed form. */
export interface GroupSum {
  sum: Float64Array;
  n: number;
}

export function groupSum(faces: readonly FaceVector[]): GroupSum {
  const dim = faces[0]?.embedding.length ?? 0;
  const sum = new Float64Array(dim);
  for (const f of faces) for (let t = 0; t < dim; t++) sum[t] = (sum[t] as number) + (f.embedding[t] as number);
  return { sum, n: faces.length };
}

/** Mean squared L2 over all pairs of unit vectors between two groups: 2 - 2 (S_a . S_b) / (n_a n_b). */
export function averageLinkage(a: GroupSum, b: GroupSum): number {
  let dot = 0;
  for (let t = 0; t < a.sum.length; t++) dot += (a.sum[t] as number) * (b.sum[t] as number);
  return Math.max(0, 2 - (2 * dot) / (a.n * b.n));
}

/** Squared L2 from each face to the (re-normalised) centre of its group. */
export function distancesToCentre(faces: readonly FaceVector[]): Map<number, number> {
  const g = groupSum(faces);
  let norm = 0;
  for (const v of g.sum) norm += v * v;
  norm = Math.sqrt(norm);
  const out = new Map<number, number>();
  for (const f of faces) {
    if (norm === 0) {
      out.set(f.id, 0);
      continue;
    }
    let dot = 0;
    for (let t = 0; t < g.sum.length; t++) dot += (f.embedding[t] as number) * ((g.sum[t] as number) / norm);
    out.set(f.id, Math.max(0, 2 - 2 * dot));
  }
  return out;
}

/** A group's faces from its centre outwards (ties: smaller id): the first ones are what the group typically looks like. */
export function centreOutwards(faces: readonly FaceVector[]): FaceVector[] {
  const d = distancesToCentre(faces);
  return [...faces].sort((x, y) => (d.get(x.id) as number) - (d.get(y.id) as number) || x.id - y.id);
}

export interface PreviewDiff {
  people: number;
  merges: number[][];
  splits: Array<{ personId: number; parts: number }>;
}

/**
 * Compares a hypothetical clustering with the current people. A current person's "home" is the new cluster
 * holding most of its faces; clusters that are home to several people merge them. A person whose faces land
 * in several clusters, or partly in the Unsorted pool (each face there a part of its own), is split.
 */
export function diffClustering(state: PeopleState, result: ClusteringResult): PreviewDiff {
  const clusterOf = new Map<number, number>();
  for (const c of result.clusters) for (const f of c.faces) clusterOf.set(f as number, c.id as number);
  const groups = groupByPerson(state.faces);
  const homes = new Map<number, number[]>();
  const splits: Array<{ personId: number; parts: number }> = [];
  for (const personId of [...groups.keys()].sort((a, b) => a - b)) {
    const counts = new Map<number, number>();
    let unsorted = 0;
    for (const f of groups.get(personId) ?? []) {
      const c = clusterOf.get(f.id);
      if (c === undefined) unsorted++;
      else counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    // Faces going to Unsorted are parts of their own (each is a singleton there).
    const parts = counts.size + unsorted;
    if (parts > 1) splits.push({ personId, parts });
    let home: number | undefined;
    let best = 0;
    for (const [c, n] of [...counts].sort((x, y) => x[0] - y[0])) {
      if (n > best) {
        best = n;
        home = c;
      }
    }
    if (home !== undefined) homes.set(home, [...(homes.get(home) ?? []), personId]);
  }
  const merges = [...homes.values()].filter((g) => g.length > 1).sort((x, y) => (x[0] as number) - (y[0] as number));
  return { people: result.clusters.length, merges, splits };
}

export interface RocResult {
  points: Array<{ threshold: number; val: number; far: number }>;
  samePairs: number;
  differentPairs: number;
}

/**
 * ROC from the user's labels: same-person pairs among faces confirmed for one person; different-person pairs
 * between faces confirmed for different people, and between a face rejected for a person and that person's
 * confirmed faces. At most `perPerson` confirmed faces per person (smallest ids) keep it quadratic-safe; the
 * curve is thinned to at most `maxPoints` points (the last, VAL = FAR = 1, always kept).
 */
export function rocFromLabels(state: PeopleState, perPerson = 200, maxPoints = 200): RocResult {
  const byId = new Map(state.faces.map((f) => [f.id, f]));
  const confirmedBy = new Map<number, FaceVector[]>();
  for (const [faceId, personId] of [...state.confirmedOf].sort((a, b) => a[0] - b[0])) {
    const f = byId.get(faceId);
    if (!f) continue;
    const list = confirmedBy.get(personId) ?? [];
    if (list.length < perPerson) list.push(f);
    confirmedBy.set(personId, list);
  }
  const same: number[] = [];
  const diff: number[] = [];
  const people = [...confirmedBy.keys()].sort((a, b) => a - b);
  for (let i = 0; i < people.length; i++) {
    const a = confirmedBy.get(people[i] as number) ?? [];
    for (let s = 0; s < a.length; s++) {
      for (let t = s + 1; t < a.length; t++)
        same.push(squaredL2((a[s] as FaceVector).embedding, (a[t] as FaceVector).embedding));
    }
    for (let j = i + 1; j < people.length; j++) {
      const b = confirmedBy.get(people[j] as number) ?? [];
      for (const x of a) for (const y of b) diff.push(squaredL2(x.embedding, y.embedding));
    }
  }
  for (const [personId, rejected] of state.rejectedOf) {
    const anchors = confirmedBy.get(personId) ?? [];
    for (const r of rejected) {
      const f = byId.get(r);
      if (!f) continue;
      for (const a of anchors) diff.push(squaredL2(f.embedding, a.embedding));
    }
  }
  if (same.length === 0 || diff.length === 0)
    return { points: [], samePairs: same.length, differentPairs: diff.length };
  const curve = rocCurve(same, diff);
  const step = Math.max(1, Math.ceil(curve.length / maxPoints));
  const points = curve
    .filter((_, i) => i % step === 0 || i === curve.length - 1)
    .map((p) => ({ threshold: p.threshold, val: p.val, far: p.far }));
  return { points, samePairs: same.length, differentPairs: diff.length };
}

/**
 * Faces in groups by similarity (a person's, for "Group by similarity"; the Unsorted pool, for its order): the
 * clusterer at `threshold`, every face in a group (no size or quality floor), largest group first (ties: the
 * smaller least face id); each group's faces from its centre outwards.
 */
export function subgroupsOf(faces: readonly FaceVector[], threshold: number): FaceVector[][] {
  if (faces.length === 0) return [];
  const result = new FaceClusterer({ threshold, minClusterSize: 1, minQuality: 0 }).fit(faces.map(toRecord));
  const byId = new Map(faces.map((f) => [f.id, f]));
  const groups = result.clusters.map((c) => c.faces.map((id) => byId.get(id as number) as FaceVector));
  for (const id of result.unsorted) groups.push([byId.get(id as number) as FaceVector]);
  const ordered = groups.map((g) => ({
    faces: centreOutwards(g),
    least: g.reduce((m, f) => Math.min(m, f.id), Infinity),
  }));
  ordered.sort((a, b) => b.faces.length - a.faces.length || a.least - b.least);
  return ordered.map((g) => g.faces);
}

/**
 * The Unsorted pool in an order that puts similar faces next to each other: its sub-groups at the threshold
 * (subgroupsOf), largest first, each from its centre outwards; faces alike to no other last, best quality first.
 */
export function similarityOrder(faces: readonly FaceVector[], threshold: number): FaceVector[] {
  const groups = subgroupsOf(faces, threshold);
  const singles = groups.filter((g) => g.length === 1).map((g) => g[0] as FaceVector);
  return [
    ...groups.filter((g) => g.length > 1).flat(),
    ...singles.sort((x, y) => y.quality - x.quality || x.id - y.id),
  ];
}
