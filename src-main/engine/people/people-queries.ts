/**
 * The read model of people: the people list, a person with their faces, the faces of a photo, the Unsorted
 * pool in similarity order, and the counts the status shows. Reads only; every number here is what the UI lists.
 */
import { EngineError } from '../errors.js';
import type { Library } from '../storage/library.js';
import type { FaceRow, Person } from '../storage/types.js';
import type { PeopleContext } from './people-context.js';
import { distancesToCentre, similarityOrder } from './people-analysis.js';
import type { FaceView, IgnoredFaceView, PersonDetail, PersonSummary, PhotoFace } from './types.js';

export class PeopleQueries {
  constructor(private readonly ctx: PeopleContext) {}

  listPeople(options: { includeHidden?: boolean; search?: string } = {}): PersonSummary[] {
    const { lib } = this.ctx;
    const counts = lib.faces.personCounts();
    const covers = lib.faces.defaultCovers();
    const search = options.search?.trim().toLowerCase();
    const out = lib.people
      .list()
      .map((p) => personSummary(p, counts, covers))
      .filter((p) => p.faceCount > 0 || p.name !== null)
      .filter((p) => options.includeHidden || !p.hidden)
      .filter((p) => !search || (p.name ?? '').toLowerCase().includes(search));
    return out.sort((a, b) => {
      if ((a.name === null) !== (b.name === null)) return a.name === null ? 1 : -1;
      if (a.name !== null && b.name !== null) {
        const x = a.name.toLowerCase();
        const y = b.name.toLowerCase();
        if (x !== y) return x < y ? -1 : 1;
      }
      return b.faceCount - a.faceCount || a.id - b.id;
    });
  }

  getPerson(personId: number): PersonDetail {
    const { lib } = this.ctx;
    const person = requirePerson(lib, personId);
    const rows = lib.faces.listRows(lib.faces.idsOfPeople([personId]));
    const vectors = lib.faces.vectorsOfPerson(personId);
    // Distances only among vectors of one dimension (a person may hold faces of an older model).
    const sameDim = vectors.filter((v) => v.embedding.length === vectors[0]?.embedding.length);
    const distance = distancesToCentre(sameDim);
    const faces = rows.map((r) => faceView(r, distance.get(r.id) ?? null));
    faces.sort(
      (a, b) =>
        (a.assignment === 'confirmed' ? 0 : 1) - (b.assignment === 'confirmed' ? 0 : 1) ||
        (a.distance ?? Infinity) - (b.distance ?? Infinity) ||
        a.id - b.id,
    );
    const summary = personSummary(person, lib.faces.personCounts(), lib.faces.defaultCovers());
    return { person: summary, faces };
  }

  /** The Unsorted pool (current model), similar faces next to each other. */
  unsortedFaces(limit = 500): FaceView[] {
    const { lib } = this.ctx;
    const modelVersion = this.ctx.modelVersion();
    if (!modelVersion) return [];
    const ordered = similarityOrder(lib.faces.unassignedVectors(modelVersion), this.ctx.settings.get().threshold);
    const ids = ordered.slice(0, Math.max(0, limit)).map((f) => f.id);
    const rows = new Map(lib.faces.listRows(ids).map((r) => [r.id, r]));
    return ids.map((id) => faceView(rows.get(id) as FaceRow, null));
  }

  /** The faces of one photo (in id order), each with its distance to its person's centre and its name. */
  facesOfPhoto(photoId: number): PhotoFace[] {
    const { lib } = this.ctx;
    const faces = lib.faces.summariesByPhoto(photoId);
    const distances = new Map<number, number>();
    for (const personId of new Set(faces.map((f) => f.personId).filter((p): p is number => p !== null))) {
      const vectors = lib.faces.vectorsOfPerson(personId);
      const sameDim = vectors.filter((v) => v.embedding.length === vectors[0]?.embedding.length);
      for (const [id, d] of distancesToCentre(sameDim)) distances.set(id, d);
    }
    const rows = lib.faces.listRows(faces.map((f) => f.id));
    const ignored = new Map(lib.ignored.inScope(rows.map((r) => r.id)).map((i) => [i.faceId, i.reason]));
    return rows.map((r) => ({
      ...faceView(r, distances.get(r.id) ?? null),
      personName: r.personId === null ? null : (lib.people.get(r.personId)?.name ?? null),
      ignored: ignored.get(r.id) ?? null,
    }));
  }

  /** The ignored faces (every model), most recently ignored first. */
  ignoredFaces(limit = 5000): IgnoredFaceView[] {
    const { lib } = this.ctx;
    const ignored = lib.ignored.list().slice(0, Math.max(0, limit));
    const rows = new Map(lib.faces.listRows(ignored.map((i) => i.faceId)).map((r) => [r.id, r]));
    return ignored
      .filter((i) => rows.has(i.faceId))
      .map((i) => ({ ...faceView(rows.get(i.faceId) as FaceRow, null), reason: i.reason, ignoredAt: i.ignoredAt }));
  }

  ignoredCount(): number {
    return this.ctx.lib.ignored.count();
  }

  unsortedCount(): number {
    const modelVersion = this.ctx.modelVersion();
    return this.ctx.lib.faces.unassignedCount(modelVersion ?? undefined);
  }

  visiblePeopleCount(): number {
    const { lib } = this.ctx;
    const counts = lib.faces.personCounts();
    return lib.people.list().filter((p) => p.name !== null || (counts.get(p.id)?.faces ?? 0) > 0).length;
  }

  namedPeopleCount(): number {
    return this.ctx.lib.people.list().filter((p) => p.name !== null).length;
  }
}

/** The person, or EngineError('not-found'). */
export function requirePerson(lib: Library, id: number): Person {
  const p = lib.people.get(id);
  if (!p) throw new EngineError('not-found', `no person ${id}`);
  return p;
}

/** The distinct ids of `ids`, all of stored faces; none given or any missing is the caller's error. */
export function requireFaces(lib: Library, ids: readonly number[]): number[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw new EngineError('invalid', 'no faces given');
  const found = new Set(lib.faces.listRows(unique).map((f) => f.id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) throw new EngineError('not-found', `no face ${missing.slice(0, 5).join(', ')}`);
  return unique;
}

/** A person as lists show them: counts from `counts`, the cover they chose or else the default one. */
export function personSummary(
  p: Person,
  counts: ReadonlyMap<number, { faces: number; confirmed: number }>,
  covers: ReadonlyMap<number, number>,
): PersonSummary {
  const c = counts.get(p.id);
  return {
    id: p.id,
    name: p.name,
    hidden: p.hidden,
    faceCount: c?.faces ?? 0,
    confirmedCount: c?.confirmed ?? 0,
    coverFaceId: p.coverFaceId ?? covers.get(p.id) ?? null,
  };
}

/** A face row as lists show it; an unassigned face has no distance. */
export function faceView(r: FaceRow, distance: number | null): FaceView {
  return {
    id: r.id,
    photoId: r.photoId,
    box: r.box,
    score: r.score,
    quality: r.quality,
    personId: r.personId,
    assignment: r.assignment,
    distance: r.personId === null ? null : distance,
  };
}
