import type { Box, FivePoints } from '../../../src-shared/geometry.js';
import type { AnalyzedFace } from '../../../src-shared/analysis.js';
import { fromBlob, toBlob } from './blob.js';
import type { Db } from './database.js';
import { freshId } from './fresh-id.js';
import type {
  Assignment,
  Face,
  FaceAssignmentSnapshot,
  FaceRow,
  FaceSummary,
  FaceVector,
  PersonCounts,
} from './types.js';

interface StoredFaceRow {
  id: number;
  photo_id: number;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  landmarks: string;
  score: number;
  quality: number;
  embedding: Buffer;
  features: Buffer;
  model_version: string;
  person_id: number | null;
  assignment: Assignment | null;
}

const SUMMARY_COLUMNS =
  'id, photo_id, box_x, box_y, box_w, box_h, landmarks, score, quality, model_version, person_id, assignment';

export const rowBox = (r: { box_x: number; box_y: number; box_w: number; box_h: number }): Box => ({
  x: r.box_x,
  y: r.box_y,
  width: r.box_w,
  height: r.box_h,
});

const toSummary = (r: Omit<StoredFaceRow, 'embedding' | 'features'>): FaceSummary => ({
  id: r.id,
  photoId: r.photo_id,
  box: rowBox(r),
  landmarks: JSON.parse(r.landmarks) as FivePoints,
  score: r.score,
  quality: r.quality,
  modelVersion: r.model_version,
  personId: r.person_id,
  assignment: r.assignment,
});

const toFace = (r: StoredFaceRow): Face => ({
  ...toSummary(r),
  embedding: fromBlob(r.embedding),
  features: fromBlob(r.features),
});

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

const VECTOR_COLUMNS = `id, photo_id, quality, embedding, person_id, assignment, box_x, box_y, box_w, box_h,
  (SELECT content_hash FROM photos WHERE photos.id = faces.photo_id) AS content_hash`;

/** Faces the user ignored (ignored-face-repository.ts) are in no person and not in the Unsorted pool. */
const NOT_IGNORED = 'id NOT IN (SELECT face_id FROM ignored_faces)';

interface ListRow {
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

const toListRow = (r: ListRow): FaceRow => ({
  id: r.id,
  photoId: r.photo_id,
  box: rowBox(r),
  score: r.score,
  quality: r.quality,
  personId: r.person_id,
  assignment: r.assignment,
});

export class FaceRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores a new face under an id this library has never used (freshId): decisions, undo snapshots and cached
   * kNN graphs name faces by id, and SQLite would hand a deleted photo's largest face id to the next face.
   * Call inside the transaction that stores the photo (PhotoLifecycle does).
   */
  insert(photoId: number, f: AnalyzedFace, modelVersion: string, now = Date.now()): number {
    const id = freshId(this.db, 'faces', 'faces.maxId');
    const r = this.db
      .prepare(
        `INSERT INTO faces (id, photo_id, box_x, box_y, box_w, box_h, landmarks, score, quality, embedding, features, model_version, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(
        id,
        photoId,
        f.box.x,
        f.box.y,
        f.box.width,
        f.box.height,
        JSON.stringify(f.landmarks),
        f.score,
        f.quality,
        toBlob(f.embedding),
        toBlob(f.features),
        modelVersion,
        now,
      ) as { id: number };
    return r.id;
  }

  get(id: number): Face | undefined {
    const r = this.db.prepare('SELECT * FROM faces WHERE id = ?').get(id) as StoredFaceRow | undefined;
    return r && toFace(r);
  }

  listByPhoto(photoId: number): Face[] {
    return (this.db.prepare('SELECT * FROM faces WHERE photo_id = ? ORDER BY id').all(photoId) as StoredFaceRow[]).map(
      toFace,
    );
  }

  summariesByPhoto(photoId: number): FaceSummary[] {
    return (
      this.db
        .prepare(`SELECT ${SUMMARY_COLUMNS} FROM faces WHERE photo_id = ? ORDER BY id`)
        .all(photoId) as StoredFaceRow[]
    ).map(toSummary);
  }

  listByPerson(personId: number): FaceSummary[] {
    return (
      this.db
        .prepare(`SELECT ${SUMMARY_COLUMNS} FROM faces WHERE person_id = ? ORDER BY id`)
        .all(personId) as StoredFaceRow[]
    ).map(toSummary);
  }

  /** Every face with its vectors, in id order (the clustering input). Iterates lazily. */
  *iterateAll(modelVersion?: string): IterableIterator<Face> {
    const stmt = modelVersion
      ? this.db.prepare('SELECT * FROM faces WHERE model_version = ? ORDER BY id')
      : this.db.prepare('SELECT * FROM faces ORDER BY id');
    const it = (modelVersion ? stmt.iterate(modelVersion) : stmt.iterate()) as IterableIterator<StoredFaceRow>;
    for (const r of it) yield toFace(r);
  }

  setPerson(faceId: number, personId: number | null, assignment: Assignment | null): void {
    this.db.prepare('UPDATE faces SET person_id = ?, assignment = ? WHERE id = ?').run(personId, assignment, faceId);
  }

  delete(faceId: number): void {
    this.db.prepare('DELETE FROM faces WHERE id = ?').run(faceId);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM faces').get() as { n: number }).n;
  }

  /** The face's box and the photo it lives in (path, content hash): what a thumbnail needs. */
  locate(faceId: number): { box: Box; path: string; contentHash: string | null } | undefined {
    const r = this.db
      .prepare(
        'SELECT f.box_x, f.box_y, f.box_w, f.box_h, p.path, p.content_hash FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.id = ?',
      )
      .get(faceId) as
      | { box_x: number; box_y: number; box_w: number; box_h: number; path: string; content_hash: string | null }
      | undefined;
    return r && { box: rowBox(r), path: r.path, contentHash: r.content_hash };
  }

  /** Face rows without vectors, for lists (in id order). */
  listRows(ids: readonly number[]): FaceRow[] {
    if (ids.length === 0) return [];
    return (
      this.db
        .prepare(
          `SELECT id, photo_id, box_x, box_y, box_w, box_h, score, quality, person_id, assignment FROM faces
           WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
        )
        .all(JSON.stringify(ids)) as ListRow[]
    ).map(toListRow);
  }

  // ---- the clustering input (vectors with their person and content key)

  private vectorsWhere(where: string, ...params: unknown[]): FaceVector[] {
    const rows = this.db.prepare(`SELECT ${VECTOR_COLUMNS} FROM faces WHERE ${where} ORDER BY id`).all(...params);
    return (rows as VectorRow[]).map(toVector);
  }

  /** The clustering input: the model's faces, less the ignored ones (never assigned, never a neighbour). */
  vectors(modelVersion: string): FaceVector[] {
    return this.vectorsWhere(`model_version = ? AND ${NOT_IGNORED}`, modelVersion);
  }

  vectorsOfPerson(personId: number): FaceVector[] {
    return this.vectorsWhere('person_id = ?', personId);
  }

  /** The faces of these people under one model, with their vectors (review queues, sub-groups of a person). */
  vectorsOfPeople(personIds: readonly number[], modelVersion: string): FaceVector[] {
    if (personIds.length === 0) return [];
    return this.vectorsWhere(
      'person_id IN (SELECT value FROM json_each(?)) AND model_version = ?',
      JSON.stringify(personIds),
      modelVersion,
    );
  }

  unassignedVectors(modelVersion: string): FaceVector[] {
    return this.vectorsWhere(`person_id IS NULL AND model_version = ? AND ${NOT_IGNORED}`, modelVersion);
  }

  // ---- per person and per model

  personCounts(): Map<number, PersonCounts> {
    const rows = this.db
      .prepare(
        `SELECT person_id AS personId, COUNT(*) AS faces, SUM(assignment = 'confirmed') AS confirmed
         FROM faces WHERE person_id IS NOT NULL GROUP BY person_id`,
      )
      .all() as PersonCounts[];
    return new Map(rows.map((r) => [r.personId, { ...r, confirmed: r.confirmed ?? 0 }]));
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

  /** The Unsorted pool's size: faces in no person, less the ignored ones. */
  unassignedCount(modelVersion?: string): number {
    const sql = modelVersion
      ? `SELECT COUNT(*) AS n FROM faces WHERE person_id IS NULL AND model_version = ? AND ${NOT_IGNORED}`
      : `SELECT COUNT(*) AS n FROM faces WHERE person_id IS NULL AND ${NOT_IGNORED}`;
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

  // ---- ids and exact assignments (undo snapshots, remembered groupings)

  maxId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM faces').get() as { n: number }).n;
  }

  existingIds(ids: readonly number[]): Set<number> {
    if (ids.length === 0) return new Set();
    const rows = this.db
      .prepare('SELECT id FROM faces WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids)) as { id: number }[];
    return new Set(rows.map((r) => r.id));
  }

  /** Every face id (all models), in id order: the scope of a whole-library undo snapshot. */
  allIds(): number[] {
    return (this.db.prepare('SELECT id FROM faces ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  }

  idsOfPeople(personIds: readonly number[]): number[] {
    if (personIds.length === 0) return [];
    return (
      this.db
        .prepare('SELECT id FROM faces WHERE person_id IN (SELECT value FROM json_each(?)) ORDER BY id')
        .all(JSON.stringify(personIds)) as { id: number }[]
    ).map((r) => r.id);
  }

  assignments(ids: readonly number[]): FaceAssignmentSnapshot[] {
    if (ids.length === 0) return [];
    return this.db
      .prepare('SELECT id, person_id, assignment FROM faces WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(JSON.stringify(ids)) as FaceAssignmentSnapshot[];
  }

  /** The faces of one model with their person and assignment, in id order (a remembered grouping). */
  assignmentsOfModel(modelVersion: string): FaceAssignmentSnapshot[] {
    return this.db
      .prepare('SELECT id, person_id, assignment FROM faces WHERE model_version = ? ORDER BY id')
      .all(modelVersion) as FaceAssignmentSnapshot[];
  }

  /** Every face of the person leaves it (to no one). */
  clearPerson(personId: number): void {
    this.db.prepare('UPDATE faces SET person_id = NULL, assignment = NULL WHERE person_id = ?').run(personId);
  }
}
