import type { Box, FivePoints } from '../../../src-shared/geometry.js';
import type { AnalyzedFace } from '../../../src-shared/analysis.js';
import { fromBlob, toBlob } from './blob.js';
import type { Db } from './database.js';
import { freshId } from './fresh-id.js';
import type { Assignment, Face, FaceSummary } from './types.js';

interface FaceRow {
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

const toSummary = (r: Omit<FaceRow, 'embedding' | 'features'>): FaceSummary => ({
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

const toFace = (r: FaceRow): Face => ({
  ...toSummary(r),
  embedding: fromBlob(r.embedding),
  features: fromBlob(r.features),
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
    const r = this.db.prepare('SELECT * FROM faces WHERE id = ?').get(id) as FaceRow | undefined;
    return r && toFace(r);
  }

  listByPhoto(photoId: number): Face[] {
    return (this.db.prepare('SELECT * FROM faces WHERE photo_id = ? ORDER BY id').all(photoId) as FaceRow[]).map(
      toFace,
    );
  }

  summariesByPhoto(photoId: number): FaceSummary[] {
    return (
      this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM faces WHERE photo_id = ? ORDER BY id`).all(photoId) as FaceRow[]
    ).map(toSummary);
  }

  listByPerson(personId: number): FaceSummary[] {
    return (
      this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM faces WHERE person_id = ? ORDER BY id`).all(personId) as FaceRow[]
    ).map(toSummary);
  }

  /** Every face with its vectors, in id order (the clustering input). Iterates lazily. */
  *iterateAll(modelVersion?: string): IterableIterator<Face> {
    const stmt = modelVersion
      ? this.db.prepare('SELECT * FROM faces WHERE model_version = ? ORDER BY id')
      : this.db.prepare('SELECT * FROM faces ORDER BY id');
    const it = (modelVersion ? stmt.iterate(modelVersion) : stmt.iterate()) as IterableIterator<FaceRow>;
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
}
