/**
 * The people module's view of a library at one moment: the current model's faces with their vectors, the
 * people, and the user's decisions turned into clustering constraints. Pure functions over rows the
 * repositories return, so that recluster, preview and suggestions see exactly the same input.
 */
import type { FaceVector } from '../storage/types.js';
import type { Library } from '../storage/library.js';
import type { FaceDecision, Person } from '../storage/types.js';
import type { KnownPerson } from './assign.js';
import type { ClusterConstraints, PersonConstraint } from './constraints.js';
import type { FaceRecord } from './faces.js';

export interface PeopleState {
  modelVersion: string;
  /** The current model's faces, in id order. */
  faces: FaceVector[];
  people: Person[];
  decisions: FaceDecision[];
  /** The person each face is confirmed for (the user's latest confirmation wins), current-model faces only. */
  confirmedOf: Map<number, number>;
  /** Faces rejected per person, current-model faces only. */
  rejectedOf: Map<number, Set<number>>;
  /** Face pairs the user kept apart (src-main/engine/storage/separation-repository.ts), current-model faces only. */
  separations: [number, number][];
}

export function loadState(lib: Library, modelVersion: string): PeopleState {
  const faces = lib.faces.vectors(modelVersion);
  const present = new Set(faces.map((f) => f.id));
  const decisions = lib.decisions.list();
  const confirmedOf = new Map<number, number>();
  const rejectedOf = new Map<number, Set<number>>();
  const decidedFaces = new Set<number>();
  const ordered = [...decisions].sort((a, b) => a.decidedAt - b.decidedAt || a.id - b.id);
  for (const d of ordered) {
    if (!present.has(d.faceId)) continue;
    decidedFaces.add(d.faceId);
    if (d.decision === 'confirmed') confirmedOf.set(d.faceId, d.personId);
    else {
      let s = rejectedOf.get(d.personId);
      if (!s) rejectedOf.set(d.personId, (s = new Set()));
      s.add(d.faceId);
    }
  }
  // A later rejection for the same person withdraws an earlier confirmation (they cannot coexist per face and
  // person in the table, but a face confirmed for A and later for B belongs to B).
  for (const [faceId, personId] of [...confirmedOf]) {
    if (rejectedOf.get(personId)?.has(faceId)) confirmedOf.delete(faceId);
  }
  // Confirmed assignments without a decision row (imported labels) count as confirmations.
  for (const f of faces) {
    if (f.assignment === 'confirmed' && f.personId !== null && !decidedFaces.has(f.id))
      confirmedOf.set(f.id, f.personId);
  }
  const separations = lib.separations.pairs().filter(([a, b]) => present.has(a) && present.has(b));
  return { modelVersion, faces, people: lib.people.list(), decisions, confirmedOf, rejectedOf, separations };
}

export function toRecord(f: FaceVector): FaceRecord {
  return { id: f.id, embedding: f.embedding, photoId: f.photoId, quality: f.quality, orderKey: f.contentKey };
}

/**
 * The user's decisions as clustering constraints, a function of the decisions alone (never of the current
 * grouping, so that re-grouping twice gives the same people):
 * - each person with confirmed faces is a seed (must-link) that rejected faces are cannot-linked to;
 * - separations (faces rejected for a person without confirmed faces, kept apart from the faces it held
 *   then) are cannot-links;
 * - same-photo faces are cannot-linked by the clusterer itself unless confirmed together.
 * A rejection for a person without confirmed faces also keeps its id off any group holding that face
 * (person-mapping.ts).
 */
export function constraintsOf(state: PeopleState): ClusterConstraints {
  const confirmedBy = new Map<number, number[]>();
  for (const [faceId, personId] of state.confirmedOf) {
    const list = confirmedBy.get(personId);
    if (list) list.push(faceId);
    else confirmedBy.set(personId, [faceId]);
  }
  const people: PersonConstraint[] = [];
  for (const personId of [...confirmedBy.keys()].sort((a, b) => a - b)) {
    const confirmed = (confirmedBy.get(personId) ?? []).sort((a, b) => a - b);
    const rejected = [...(state.rejectedOf.get(personId) ?? [])].sort((a, b) => a - b);
    people.push({ personId, confirmed, rejected });
  }
  return { people, cannotLink: state.separations };
}

export function groupByPerson(faces: readonly FaceVector[]): Map<number, FaceVector[]> {
  const out = new Map<number, FaceVector[]>();
  for (const f of faces) {
    if (f.personId === null) continue;
    const list = out.get(f.personId);
    if (list) list.push(f);
    else out.set(f.personId, [f]);
  }
  return out;
}

/** Existing people with their current faces and rejections, for k-NN assignment. */
export function knownPeople(state: PeopleState): KnownPerson[] {
  const groups = groupByPerson(state.faces);
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((personId) => ({
      personId,
      faces: (groups.get(personId) ?? []).map(toRecord),
      rejected: [...(state.rejectedOf.get(personId) ?? [])],
    }));
}
