/**
 * Incremental assignment: newly indexed faces join existing people by k-NN vote, without re-clustering.
 *
 * For each new face, its k nearest faces among all faces currently in people are found (exact brute force,
 * knn.ts). Neighbours farther than the threshold do not vote. Each remaining neighbour votes for its person,
 * except people the face may not join: people the user rejected it for, and people that already hold a face
 * of the same photo. The person with the most votes wins (ties: smaller mean distance, then smaller person
 * id) if it has at least minVotes votes. New faces are then placed in canonical order of (their winner's
 * mean distance, face id), so that when two new faces of one photo want the same person the closer one gets
 * it and the other falls back to its next candidate: the outcome does not depend on input order.
 *
 * Faces that join nobody (and faces below the quality floor) are returned as unassigned: the caller
 * leaves them to the next re-grouping.
 */
import { DEFAULT_MIN_QUALITY, DEFAULT_THRESHOLD } from './clusterer.js';
import { compareFaceIds, packFaces, type FaceId, type FaceRecord, type PersonId, type PhotoId } from './faces.js';
import { BruteForceKnn } from './knn.js';

export interface KnownPerson {
  personId: PersonId;
  /** Faces currently in this person (confirmed or not). */
  faces: readonly FaceRecord[];
  /** Faces the user rejected for this person: they never join it. */
  rejected?: readonly FaceId[];
}

export interface AssignerOptions {
  /** Only neighbours within this distance vote (squared L2, 0..4). Default DEFAULT_THRESHOLD. */
  threshold?: number;
  /** Neighbours consulted per new face (default 10). */
  k?: number;
  /** Votes the winning person needs (default 1). */
  minVotes?: number;
  /** New faces below this quality are not assigned (default DEFAULT_MIN_QUALITY). */
  minQuality?: number;
}

export interface Assignment {
  faceId: FaceId;
  personId: PersonId;
  votes: number;
  /** Mean distance to the voting neighbours. */
  meanDistance: number;
}

export interface AssignmentResult {
  /** In canonical face-id order. */
  assigned: Assignment[];
  /** New faces that joined nobody, in canonical order. */
  unassigned: FaceId[];
}

function photoKey(p: PhotoId): string {
  return `${typeof p}:${String(p)}`;
}

function comparePersonIds(a: PersonId, b: PersonId): number {
  return compareFaceIds(a, b);
}

interface Candidate {
  personId: PersonId;
  votes: number;
  meanDistance: number;
}

export class FaceAssigner {
  readonly threshold: number;
  readonly k: number;
  readonly minVotes: number;
  readonly minQuality: number;

  constructor(options: AssignerOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_THRESHOLD;
    this.k = options.k ?? 10;
    this.minVotes = options.minVotes ?? 1;
    this.minQuality = options.minQuality ?? DEFAULT_MIN_QUALITY;
  }

  assign(newFaces: readonly FaceRecord[], people: readonly KnownPerson[]): AssignmentResult {
    const queries = packFaces(newFaces);
    const base = packFaces(people.flatMap((p) => p.faces));
    const personOf = new Map<FaceId, PersonId>();
    const photosOf = new Map<PersonId, Set<string>>();
    const rejectedBy = new Map<FaceId, Set<PersonId>>();
    for (const p of people) {
      const photos = new Set<string>();
      for (const f of p.faces) {
        personOf.set(f.id, p.personId);
        if (f.photoId !== undefined) photos.add(photoKey(f.photoId));
      }
      photosOf.set(p.personId, photos);
      for (const r of p.rejected ?? []) {
        let s = rejectedBy.get(r);
        if (!s) rejectedBy.set(r, (s = new Set()));
        s.add(p.personId);
      }
    }
    const nq = queries.ids.length;
    const unassigned: FaceId[] = [];
    if (base.ids.length === 0 || nq === 0) return { assigned: [], unassigned: [...queries.ids] };
    const graph = new BruteForceKnn({ k: this.k }).query(base.vectors, queries.vectors, queries.dim);

    // Ranked candidate people per new face.
    const ranked: Candidate[][] = [];
    for (let q = 0; q < nq; q++) {
      const id = queries.ids[q] as FaceId;
      const quality = queries.quality[q];
      const photo = queries.photoIds[q];
      const cands = new Map<PersonId, { votes: number; sum: number }>();
      if (quality === undefined || quality >= this.minQuality) {
        for (let s = 0; s < (graph.counts[q] as number); s++) {
          const d = graph.distances[q * graph.k + s] as number;
          if (d > this.threshold) break; // nearest first
          const person = personOf.get(base.ids[graph.indices[q * graph.k + s] as number] as FaceId) as PersonId;
          if (rejectedBy.get(id)?.has(person)) continue;
          if (photo !== undefined && photosOf.get(person)?.has(photoKey(photo))) continue;
          const c = cands.get(person) ?? { votes: 0, sum: 0 };
          c.votes++;
          c.sum += d;
          cands.set(person, c);
        }
      }
      ranked.push(
        [...cands]
          .map(([personId, c]) => ({ personId, votes: c.votes, meanDistance: c.sum / c.votes }))
          .filter((c) => c.votes >= this.minVotes)
          .sort(
            (a, b) => b.votes - a.votes || a.meanDistance - b.meanDistance || comparePersonIds(a.personId, b.personId),
          ),
      );
    }

    // Place faces closest-first; a face whose photo is already in its candidate person falls back.
    const order = [...Array(nq).keys()].sort(
      (a, b) => (ranked[a]?.[0]?.meanDistance ?? Infinity) - (ranked[b]?.[0]?.meanDistance ?? Infinity) || a - b,
    );
    const chosen = new Map<number, Candidate>();
    for (const q of order) {
      const photo = queries.photoIds[q];
      const pick = (ranked[q] as Candidate[]).find(
        (c) => photo === undefined || !photosOf.get(c.personId)?.has(photoKey(photo)),
      );
      if (!pick) continue;
      chosen.set(q, pick);
      if (photo !== undefined) photosOf.get(pick.personId)?.add(photoKey(photo));
    }
    const assigned: Assignment[] = [];
    for (let q = 0; q < nq; q++) {
      const c = chosen.get(q);
      const faceId = queries.ids[q] as FaceId;
      if (c) assigned.push({ faceId, personId: c.personId, votes: c.votes, meanDistance: c.meanDistance });
      else unassigned.push(faceId);
    }
    return { assigned, unassigned };
  }
}
