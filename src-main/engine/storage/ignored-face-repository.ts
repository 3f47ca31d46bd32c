import type { IGNORE_REASONS } from '../../../src-shared/api.js';
import type { Db } from './database.js';

/**
 * Why a face is ignored: a false detection, or a real face of someone the user does not want named. The
 * contract's list, so the two cannot drift apart (the table's CHECK constraint names the same two).
 */
export type IgnoreReason = (typeof IGNORE_REASONS)[number];

/** A face the user took out of the people, and why. */
export interface IgnoredFace {
  faceId: number;
  reason: IgnoreReason;
  ignoredAt: number;
}

interface IgnoredRow {
  face_id: number;
  reason: IgnoreReason;
  ignored_at: number;
}

const toIgnored = (r: IgnoredRow): IgnoredFace => ({ faceId: r.face_id, reason: r.reason, ignoredAt: r.ignored_at });

/**
 * `ignored_faces`: faces no person holds and clustering never reads (FaceRepository leaves them out of the
 * clustering vectors and the Unsorted pool). The people module decides; this only stores.
 */
export class IgnoredFaceRepository {
  constructor(private readonly db: Db) {}

  /** Marks faces ignored (a face ignored again takes the new reason and time). */
  ignore(faceIds: readonly number[], reason: IgnoreReason, now = Date.now()): void {
    const put = this.db.prepare(
      `INSERT INTO ignored_faces (face_id, reason, ignored_at) VALUES (?, ?, ?)
       ON CONFLICT (face_id) DO UPDATE SET reason = excluded.reason, ignored_at = excluded.ignored_at`,
    );
    for (const id of faceIds) put.run(id, reason, now);
  }

  /** Every ignored face, most recently ignored first. */
  list(): IgnoredFace[] {
    return (this.db.prepare('SELECT * FROM ignored_faces ORDER BY ignored_at DESC, face_id').all() as IgnoredRow[]).map(
      toIgnored,
    );
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM ignored_faces').get() as { n: number }).n;
  }

  /** The rows of those of `faceIds` that are ignored, in face id order (undo snapshots, photo views). */
  inScope(faceIds: readonly number[]): IgnoredFace[] {
    if (faceIds.length === 0) return [];
    return (
      this.db
        .prepare('SELECT * FROM ignored_faces WHERE face_id IN (SELECT value FROM json_each(?)) ORDER BY face_id')
        .all(JSON.stringify(faceIds)) as IgnoredRow[]
    ).map(toIgnored);
  }

  /** Those of `faceIds` are no longer ignored. */
  deleteInScope(faceIds: readonly number[]): void {
    if (faceIds.length === 0) return;
    this.db
      .prepare('DELETE FROM ignored_faces WHERE face_id IN (SELECT value FROM json_each(?))')
      .run(JSON.stringify(faceIds));
  }

  /** Puts a row back exactly (undo). */
  insert(row: IgnoredFace): void {
    this.db
      .prepare('INSERT OR REPLACE INTO ignored_faces (face_id, reason, ignored_at) VALUES (?, ?, ?)')
      .run(row.faceId, row.reason, row.ignoredAt);
  }

  /** A re-analysed photo's old face hands its ignore to the new face that matches it (photo-lifecycle.ts). */
  moveToFace(fromFaceId: number, toFaceId: number): void {
    this.db.prepare('UPDATE ignored_faces SET face_id = ? WHERE face_id = ?').run(toFaceId, fromFaceId);
  }
}
