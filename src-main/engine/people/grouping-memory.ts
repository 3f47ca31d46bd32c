/**
 * A remembered grouping: the people as they were at one moment (every face of one model with its person and
 * assignment, and every person row), with a fingerprint of everything a re-grouping depends on besides the
 * vectors: the model's faces, the user's decisions and separations, who is named or hidden, and the clustering
 * settings.
 *
 * Why: re-grouping is a function of faces, decisions and threshold, so going back to a recognition version
 * gives back the same partition, but person ids are mapped by overlap with the people of the moment
 * (person-mapping.ts), so unnamed people would come back under new ids. While the fingerprint matches, nothing
 * the user decided has changed since, and restoring the remembered grouping gives back exactly the people the
 * user last saw with that version; otherwise the caller re-groups.
 *
 * planRestore computes what applyRestore writes (the forecast and the switch share it), the same way
 * PeopleService.planRegroup and recluster do.
 */
import { createHash } from 'node:crypto';
import type { Library } from '../storage/library.js';
import type { Assignment, PersonRowSnapshot } from '../storage/types.js';

export interface GroupingSettings {
  threshold: number;
  minQuality: number;
  minClusterSize: number;
}

export interface RememberedGrouping {
  fingerprint: string;
  /** [faceId, personId, assignment] for every face of the model, in id order. */
  faces: Array<[number, number | null, Assignment | null]>;
  /** Every person row at that moment. */
  people: PersonRowSnapshot[];
}

export interface RestorePlan {
  /** Every face of the model: its person and assignment after. */
  faces: Array<[number, number | null, Assignment | null]>;
  /** Remembered people that no longer exist (removed by a re-grouping since): put back with their ids. */
  recreate: PersonRowSnapshot[];
  /** Remembered covers of people that have lost theirs since (a cover is cleared when its face leaves). */
  covers: Array<[number, number]>;
  /** People made since (not remembered) that would be left empty and untouched by the user: removed. */
  removed: number[];
  /** Faces whose person changes. */
  facesMoving: number;
  /** People shown after (named, or with faces), as PeopleService.visiblePeopleCount() counts them. */
  peopleAfter: number;
}

/** sha256 over what a re-grouping of `modelVersion` depends on, vectors aside. */
export function groupingFingerprint(lib: Library, modelVersion: string, settings: GroupingSettings): string {
  const faceIds = lib.faces.assignmentsOfModel(modelVersion).map((f) => f.id);
  const decisions = lib.decisions
    .list()
    .map((d) => [d.id, d.faceId, d.personId, d.decision, d.decidedAt])
    .sort((a, b) => (a[0] as number) - (b[0] as number));
  const people = lib.people.list();
  const content = {
    modelVersion,
    faceIds,
    decisions,
    separations: lib.separations.pairs(),
    named: people.filter((p) => p.name !== null).map((p) => p.id),
    hidden: people.filter((p) => p.hidden).map((p) => p.id),
    settings: [settings.threshold, settings.minQuality, settings.minClusterSize],
  };
  // Ignoring a face changes what re-grouping reads. Added only when there is one, so that groupings
  // remembered before ignored faces existed keep their fingerprint.
  const ignored = lib.ignored
    .list()
    .map((i) => i.faceId)
    .sort((a, b) => a - b);
  if (ignored.length > 0) Object.assign(content, { ignored });
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

export function rememberGrouping(lib: Library, modelVersion: string, settings: GroupingSettings): RememberedGrouping {
  return {
    fingerprint: groupingFingerprint(lib, modelVersion, settings),
    faces: lib.faces.assignmentsOfModel(modelVersion).map((f) => [f.id, f.person_id, f.assignment]),
    people: lib.people.rows(lib.people.list().map((p) => p.id)),
  };
}

/** What restoring `memory` would write, or null when the library has changed since it was remembered. */
export function planRestore(
  lib: Library,
  modelVersion: string,
  settings: GroupingSettings,
  memory: RememberedGrouping,
): RestorePlan | null {
  if (groupingFingerprint(lib, modelVersion, settings) !== memory.fingerprint) return null;
  const now = new Map(lib.faces.assignmentsOfModel(modelVersion).map((f) => [f.id, f]));
  let facesMoving = 0;
  // Faces per person after: other models' faces stay where they are, this model's come from the memory.
  const faces = new Map<number, number>();
  for (const [id, c] of lib.faces.personCounts()) faces.set(id, c.faces);
  for (const f of now.values()) if (f.person_id !== null) faces.set(f.person_id, (faces.get(f.person_id) ?? 0) - 1);
  for (const [id, personId] of memory.faces) {
    if ((now.get(id)?.person_id ?? null) !== personId) facesMoving++;
    if (personId !== null) faces.set(personId, (faces.get(personId) ?? 0) + 1);
  }
  const existing = lib.people.list();
  const existingIds = new Set(existing.map((p) => p.id));
  const remembered = new Map(memory.people.map((p) => [p.id, p]));
  const recreate = memory.people.filter((p) => !existingIds.has(p.id));
  const protectedIds = lib.decisions.peopleWithDecisions();
  const removed = existing
    .filter((p) => !remembered.has(p.id) && (faces.get(p.id) ?? 0) <= 0 && p.name === null)
    .filter((p) => !(p.hidden || protectedIds.has(p.id)))
    .map((p) => p.id);
  const gone = new Set(removed);
  const covers: Array<[number, number]> = existing
    .filter((p) => p.coverFaceId === null && !gone.has(p.id))
    .map((p): [number, number | null] => [p.id, remembered.get(p.id)?.cover_face_id ?? null])
    .filter((c): c is [number, number] => c[1] !== null);
  let peopleAfter = 0;
  for (const p of existing) if (!gone.has(p.id) && ((faces.get(p.id) ?? 0) > 0 || p.name !== null)) peopleAfter++;
  for (const p of recreate) if ((faces.get(p.id) ?? 0) > 0 || p.name !== null) peopleAfter++;
  return { faces: memory.faces, recreate, covers, removed, facesMoving, peopleAfter };
}

/** Writes a restore plan. Call inside a transaction. */
export function applyRestore(lib: Library, modelVersion: string, plan: RestorePlan): void {
  // People first (faces reference them); covers once the faces are back.
  for (const p of plan.recreate) lib.people.putRow({ ...p, cover_face_id: null });
  const now = new Map(lib.faces.assignmentsOfModel(modelVersion).map((f) => [f.id, f]));
  for (const [id, personId, assignment] of plan.faces) {
    const f = now.get(id);
    if (f && (f.person_id !== personId || f.assignment !== assignment)) lib.faces.setPerson(id, personId, assignment);
  }
  for (const id of plan.removed) lib.people.delete(id);
  const covers = [...plan.covers, ...plan.recreate.map((p): [number, number | null] => [p.id, p.cover_face_id])];
  for (const [personId, faceId] of covers) if (faceId !== null) lib.people.setCover(personId, faceId);
  lib.people.clearStrayCovers();
}
