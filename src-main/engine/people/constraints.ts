/**
 * The user's decisions, turned into constraints on the clustering.
 *
 * - must-link groups: faces that must end up together. Every person's confirmed faces form one group, so a
 *   named person enters the clustering as a single seed cluster that can grow but never split or vanish.
 *   Such a group is an anchor: the cluster that holds it is measured by the group alone, so it grows only by
 *   faces within the threshold of what the user confirmed (agglomeration.ts).
 * - cannot-link pairs: two faces that must never share a cluster. Constraints are cluster-level: two
 *   clusters are never merged while any member of one is cannot-linked to any member of the other.
 * - a face rejected for a person ("not this person") is cannot-linked to that person's seed (its confirmed
 *   faces), so it can never join the cluster that carries that person, whatever else it joins.
 * - two different named people are cannot-linked: re-clustering never merges two people the user has
 *   confirmed; merging them is the user's call (they confirm the faces of one for the other).
 * - faces of the same photo are cannot-linked unless a must-link group puts them together (one person
 *   rarely appears twice in one photo; mirrors and posters are the user's to confirm).
 * When a must-link group contains a cannot-linked pair (the user contradicted themselves) the must-link
 * wins, because confirmations are the stronger signal; the dropped pair is reported in `conflicts`.
 * Faces named in constraints but absent from the face set (deleted photos) are ignored.
 */
import { type FaceId, type PackedFaces, type PersonId } from './faces.js';
import { find, union, unionFindParents } from '../../../src-shared/union-find.js';

export interface PersonConstraint {
  personId: PersonId;
  /** Faces the user confirmed for this person (must stay with it). */
  confirmed: readonly FaceId[];
  /** Faces the user rejected for this person (must never join it). */
  rejected?: readonly FaceId[];
}

export interface ClusterConstraints {
  mustLink?: readonly (readonly FaceId[])[];
  cannotLink?: readonly (readonly [FaceId, FaceId])[];
  people?: readonly PersonConstraint[];
  /** Cannot-link faces that share a photoId (default true). */
  samePhotoCannotLink?: boolean;
}

/** Constraints in canonical index space, ready for the agglomeration algorithms. */
export interface PreparedConstraints {
  /** Initial cluster of each face: the smallest canonical index of its must-link group (itself if none). */
  root: Int32Array;
  /** Cannot-link pairs between roots, each once with a < b, sorted. */
  cannot: [number, number][];
  /** Person carried by each seed root. */
  personOfRoot: Map<number, PersonId>;
  /**
   * 1 at the root of every anchor: a person's confirmed faces, or a must-link group of two or more faces.
   * Anchored clusters are measured by their anchor alone (agglomeration.ts).
   */
  anchored: Uint8Array;
  /** Cannot-link pairs dropped because a must-link group joins them, as face ids. */
  conflicts: [FaceId, FaceId][];
}

export function prepareConstraints(faces: PackedFaces, constraints: ClusterConstraints = {}): PreparedConstraints {
  const n = faces.ids.length;
  const parent = unionFindParents(n);
  const idx = (id: FaceId): number | undefined => faces.indexOf.get(id);
  const present = (ids: readonly FaceId[]): number[] => ids.map(idx).filter((i): i is number => i !== undefined);

  const groups: number[][] = (constraints.mustLink ?? []).map(present);
  const people = constraints.people ?? [];
  const personSeeds = people.map((p) => present(p.confirmed));
  for (const g of [...groups, ...personSeeds])
    for (let t = 1; t < g.length; t++) union(parent, g[0] as number, g[t] as number);
  const root = new Int32Array(n);
  for (let i = 0; i < n; i++) root[i] = find(parent, i);

  const personOfRoot = new Map<number, PersonId>();
  people.forEach((p, k) => {
    const seed = personSeeds[k] as number[];
    if (seed.length === 0) return; // nothing confirmed among these faces: nothing to anchor the person to
    const r = root[seed[0] as number] as number;
    const other = personOfRoot.get(r);
    if (other !== undefined && other !== p.personId) {
      throw new RangeError(`people ${String(other)} and ${String(p.personId)} share confirmed faces`);
    }
    personOfRoot.set(r, p.personId);
  });

  // Cannot-link pairs as face index pairs, then lifted to roots. `explicit` remembers the user's own pairs
  // (cannot-link, rejections) so that only those are reported as conflicts: same-photo pairs inside a
  // must-link group are simply what the user asked for.
  const pairKey = (i: number, j: number): number => Math.min(i, j) * n + Math.max(i, j);
  const facePairs: [number, number][] = [];
  const explicit = new Set<number>();
  for (const [a, b] of constraints.cannotLink ?? []) {
    const i = idx(a);
    const j = idx(b);
    if (i === undefined || j === undefined) continue;
    facePairs.push([i, j]);
    explicit.add(pairKey(i, j));
  }
  people.forEach((p, k) => {
    const seed = personSeeds[k] as number[];
    if (seed.length === 0) return;
    for (const f of present(p.rejected ?? [])) {
      facePairs.push([f, seed[0] as number]);
      explicit.add(pairKey(f, seed[0] as number));
    }
  });
  const seeds = [...personOfRoot.keys()].sort((a, b) => a - b);
  for (let s = 0; s < seeds.length; s++) {
    for (let t = s + 1; t < seeds.length; t++) facePairs.push([seeds[s] as number, seeds[t] as number]);
  }
  if (constraints.samePhotoCannotLink ?? true) {
    const byPhoto = new Map<string, number[]>();
    faces.photoIds.forEach((p, i) => {
      if (p === undefined) return;
      const key = `${typeof p}:${String(p)}`;
      const list = byPhoto.get(key);
      if (list) list.push(i);
      else byPhoto.set(key, [i]);
    });
    for (const list of byPhoto.values()) {
      for (let s = 0; s < list.length; s++) {
        for (let t = s + 1; t < list.length; t++) facePairs.push([list[s] as number, list[t] as number]);
      }
    }
  }

  const seen = new Set<number>();
  const cannot: [number, number][] = [];
  const conflicts: [FaceId, FaceId][] = [];
  for (const [i, j] of facePairs) {
    const ra = root[i] as number;
    const rb = root[j] as number;
    if (ra === rb) {
      if (explicit.has(pairKey(i, j))) conflicts.push([faces.ids[i] as FaceId, faces.ids[j] as FaceId]);
      continue;
    }
    const a = Math.min(ra, rb);
    const b = Math.max(ra, rb);
    const key = pairKey(a, b);
    if (seen.has(key)) continue;
    seen.add(key);
    cannot.push([a, b]);
  }
  cannot.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const anchored = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (root[i] !== i) anchored[root[i] as number] = 1;
  for (const r of personOfRoot.keys()) anchored[r] = 1;
  return { root, cannot, personOfRoot, conflicts, anchored };
}
