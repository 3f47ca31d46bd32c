/**
 * SQL the people service needs beyond the basic repositories: per-person counts, faces by id with vectors,
 * and exact row snapshots / restores for undo (people rows with their ids, face assignments, decisions with
 * their ids and times, orphaned decisions' person).
 */
import { fromBlob } from './blob.js';
import type { Db } from './database.js';
import { freshId } from './fresh-id.js';
import type { Assignment, Decision } from './types.js';

export interface PersonRowSnapshot {
  id: number;
  name: string | null;
  hidden: number;
  cover_face_id: number | null;
  created_at: number;
}

export interface FaceAssignmentSnapshot {
  id: number;
  person_id: number | null;
  assignment: Assignment | null;
}

export interface DecisionRowSnapshot {
  id: number;
  face_id: number;
  person_id: number;
  decision: Decision;
  decided_at: number;
}

export interface PersonCounts {
  personId: number;
  faces: number;
  confirmed: number;
}

/** A face's id, photo, quality and embedding: the clustering input. */
export interface FaceVector {
  id: number;
  photoId: number;
  quality: number;
  embedding: Float32Array;
  personId: number | null;
  assignment: Assignment | null;
  /**
   * What the face is, independent of when it was indexed: its photo's content hash and its box. Clustering
   * orders faces by this key, so the same photos give the same people whatever order they were indexed in.
   */
  contentKey: string;
}

interface VectorRow {
  id: number;
  photo_id: number;
  quality: number;
  embedding: Buffer;
  person_id: number | null;
  assignment: Assignment | null;
  content_hash: string | null;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
}

const toVector = (r: VectorRow): FaceVector => ({
  id: r.id,
  photoId: r.photo_id,
  quality: r.quality,
  embedding: fromBlob(r.embedding),
  personId: r.person_id,
  assignment: r.assignment,
  contentKey:
    r.content_hash === null
      ? ''
      : `${r.content_hash}:${[r.box_x, r.box_y, r.box_w, r.box_h].map((v) => Math.round(v * 10)).join(',')}`,
});

/** A face as lists show it (no vectors, no landmarks). */
export interface FaceRow {
  id: number;
  photoId: number;
  box: { x: number; y: number; width: number; height: number };
  score: number;
  quality: number;
  personId: number | null;
  assignment: Assignment | null;
}

interface RawFaceRow {
  id: number;
  photo_id: number;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  score: number;
  quality: number;
  person_id: number | null;
  assignment: Assignment | null;
}

const toFaceRow = (r: RawFaceRow): FaceRow => ({
  id: r.id,
  photoId: r.photo_id,
  box: { x: r.box_x, y: r.box_y, width: r.box_w, height: r.box_h },
  score: r.score,
  quality: r.quality,
  personId: r.person_id,
  assignment: r.assignment,
});

const VECTOR_COLUMNS = `id, photo_id, quality, embedding, person_id, assignment, box_x, box_y, box_w, box_h,
  (SELECT content_hash FROM photos WHERE photos.id = faces.photo_id) AS content_hash`;

export class PeopleStateRepository {
  constructor(private readonly db: Db) {}

  // ---- queries

  personCounts(): Map<number, PersonCounts> {
    const rows = this.db
      .prepare(
        `SELECT person_id AS personId, COUNT(*) AS faces, SUM(assignment = 'confirmed') AS confirmed
         FROM faces WHERE person_id IS NOT NULL GROUP BY person_id`,
      )
      .all() as PersonCounts[];
    return new Map(rows.map((r) => [r.personId, { ...r, confirmed: r.confirmed ?? 0 }]));
  }

  unassignedCount(modelVersion?: string): number {
    const sql = modelVersion
      ? 'SELECT COUNT(*) AS n FROM faces WHERE person_id IS NULL AND model_version = ?'
      : 'SELECT COUNT(*) AS n FROM faces WHERE person_id IS NULL';
    const stmt = this.db.prepare(sql);
    const row = (modelVersion ? stmt.get(modelVersion) : stmt.get()) as { n: number };
    return row.n;
  }

  /** Model versions by number of faces, most first (ties: the newest face first). */
  modelVersions(): Array<{ modelVersion: string; faces: number }> {
    return this.db
      .prepare(
        `SELECT model_version AS modelVersion, COUNT(*) AS faces FROM faces GROUP BY model_version
         ORDER BY faces DESC, MAX(id) DESC`,
      )
      .all() as Array<{ modelVersion: string; faces: number }>;
  }

  vectors(modelVersion: string): FaceVector[] {
    return (
      this.db
        .prepare(`SELECT ${VECTOR_COLUMNS} FROM faces WHERE model_version = ? ORDER BY id`)
        .all(modelVersion) as VectorRow[]
    ).map(toVector);
  }

  vectorsOfPerson(personId: number): FaceVector[] {
    return (
      this.db
        .prepare(`SELECT ${VECTOR_COLUMNS} FROM faces WHERE person_id = ? ORDER BY id`)
        .all(personId) as VectorRow[]
    ).map(toVector);
  }

  vectorsByIds(ids: readonly number[]): FaceVector[] {
    if (ids.length === 0) return [];
    return (
      this.db
        .prepare(`SELECT ${VECTOR_COLUMNS} FROM faces WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`)
        .all(JSON.stringify(ids)) as VectorRow[]
    ).map(toVector);
  }

  unassignedVectors(modelVersion: string): FaceVector[] {
    return (
      this.db
        .prepare(`SELECT ${VECTOR_COLUMNS} FROM faces WHERE person_id IS NULL AND model_version = ? ORDER BY id`)
        .all(modelVersion) as VectorRow[]
    ).map(toVector);
  }

  /** Per person, the face a cover defaults to: confirmed first, then the best quality, then the smallest id. */
  defaultCovers(): Map<number, number> {
    const rows = this.db
      .prepare(
        `SELECT person_id, id FROM (SELECT person_id, id, ROW_NUMBER() OVER (PARTITION BY person_id
         ORDER BY (assignment = 'confirmed') DESC, quality DESC, id) AS rn FROM faces WHERE person_id IS NOT NULL)
         WHERE rn = 1`,
      )
      .all() as { person_id: number; id: number }[];
    return new Map(rows.map((r) => [r.person_id, r.id]));
  }

  /** Face rows without vectors, for lists (in id order). */
  faceRows(ids: readonly number[]): FaceRow[] {
    if (ids.length === 0) return [];
    return (
      this.db
        .prepare(
          `SELECT id, photo_id, box_x, box_y, box_w, box_h, score, quality, person_id, assignment FROM faces
           WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
        )
        .all(JSON.stringify(ids)) as RawFaceRow[]
    ).map(toFaceRow);
  }

  maxFaceId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM faces').get() as { n: number }).n;
  }

  existingFaceIds(ids: readonly number[]): Set<number> {
    if (ids.length === 0) return new Set();
    const rows = this.db
      .prepare('SELECT id FROM faces WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids)) as { id: number }[];
    return new Set(rows.map((r) => r.id));
  }

  /** Clears cover faces that no longer belong to their person. */
  clearStrayCovers(): void {
    this.db
      .prepare(
        `UPDATE people SET cover_face_id = NULL WHERE cover_face_id IS NOT NULL AND NOT EXISTS
         (SELECT 1 FROM faces f WHERE f.id = people.cover_face_id AND f.person_id = people.id)`,
      )
      .run();
  }

  /** People ids referenced by any live or orphaned decision. */
  peopleWithDecisions(): Set<number> {
    const rows = this.db
      .prepare('SELECT person_id FROM face_decisions UNION SELECT person_id FROM orphaned_decisions')
      .all() as { person_id: number }[];
    return new Set(rows.map((r) => r.person_id));
  }

  /** Creates a person with an id never used before in this library (undo snapshots refer to people by id). */
  createPerson(name: string | null, now = Date.now()): number {
    const id = freshId(this.db, 'people', 'people.maxId');
    this.db.prepare('INSERT INTO people (id, name, created_at) VALUES (?, ?, ?)').run(id, name, now);
    return id;
  }

  // ---- snapshots (undo)

  peopleRows(ids: readonly number[]): PersonRowSnapshot[] {
    if (ids.length === 0) return [];
    return this.db
      .prepare('SELECT * FROM people WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(JSON.stringify(ids)) as PersonRowSnapshot[];
  }

  faceAssignments(ids: readonly number[]): FaceAssignmentSnapshot[] {
    if (ids.length === 0) return [];
    return this.db
      .prepare('SELECT id, person_id, assignment FROM faces WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(JSON.stringify(ids)) as FaceAssignmentSnapshot[];
  }

  /** Every face id (all models), in id order: the scope of a whole-library undo snapshot. */
  allFaceIds(): number[] {
    return (this.db.prepare('SELECT id FROM faces ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  }

  /** The faces of one model with their person and assignment, in id order (a remembered grouping). */
  assignmentsOfModel(modelVersion: string): FaceAssignmentSnapshot[] {
    return this.db
      .prepare('SELECT id, person_id, assignment FROM faces WHERE model_version = ? ORDER BY id')
      .all(modelVersion) as FaceAssignmentSnapshot[];
  }

  faceIdsOfPeople(personIds: readonly number[]): number[] {
    if (personIds.length === 0) return [];
    return (
      this.db
        .prepare('SELECT id FROM faces WHERE person_id IN (SELECT value FROM json_each(?)) ORDER BY id')
        .all(JSON.stringify(personIds)) as { id: number }[]
    ).map((r) => r.id);
  }

  /** Decisions about any of the faces or any of the people. */
  decisionsInScope(faceIds: readonly number[], personIds: readonly number[]): DecisionRowSnapshot[] {
    return this.db
      .prepare(
        `SELECT * FROM face_decisions WHERE face_id IN (SELECT value FROM json_each(?))
         OR person_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(JSON.stringify(faceIds), JSON.stringify(personIds)) as DecisionRowSnapshot[];
  }

  deleteDecisionsInScope(faceIds: readonly number[], personIds: readonly number[]): void {
    this.db
      .prepare(
        `DELETE FROM face_decisions WHERE face_id IN (SELECT value FROM json_each(?))
         OR person_id IN (SELECT value FROM json_each(?))`,
      )
      .run(JSON.stringify(faceIds), JSON.stringify(personIds));
  }

  insertDecision(d: DecisionRowSnapshot): void {
    this.db
      .prepare('INSERT INTO face_decisions (id, face_id, person_id, decision, decided_at) VALUES (?, ?, ?, ?, ?)')
      .run(d.id, d.face_id, d.person_id, d.decision, d.decided_at);
  }

  orphansOfPeople(personIds: readonly number[]): Array<{ id: number; person_id: number }> {
    if (personIds.length === 0) return [];
    return this.db
      .prepare(
        'SELECT id, person_id FROM orphaned_decisions WHERE person_id IN (SELECT value FROM json_each(?)) ORDER BY id',
      )
      .all(JSON.stringify(personIds)) as Array<{ id: number; person_id: number }>;
  }

  setOrphanPerson(orphanId: number, personId: number): void {
    this.db.prepare('UPDATE orphaned_decisions SET person_id = ? WHERE id = ?').run(personId, orphanId);
  }

  /** Re-creates a deleted person row with its original id, or overwrites an existing one. */
  putPersonRow(r: PersonRowSnapshot): void {
    this.db
      .prepare(
        `INSERT INTO people (id, name, hidden, cover_face_id, created_at) VALUES (@id, @name, @hidden, @cover_face_id, @created_at)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, hidden = excluded.hidden,
         cover_face_id = excluded.cover_face_id, created_at = excluded.created_at`,
      )
      .run(r);
  }

  clearPersonFromFaces(personId: number): void {
    this.db.prepare('UPDATE faces SET person_id = NULL, assignment = NULL WHERE person_id = ?').run(personId);
  }
}
