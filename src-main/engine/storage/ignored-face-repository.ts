import type { IGNORE_REASONS } from '../../../src-shared/api.js';
import type { Db } from './database.js';
import { placeColumns, placeOf, type FacePlace } from './types.js';

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

/** An ignore whose face left the library with its photo: the face is ignored again when the photo comes back. */
export interface OrphanedIgnore {
  id: number;
  place: FacePlace;
  reason: IgnoreReason;
  ignoredAt: number;
}

interface OrphanRow {
  id: number;
  content_hash: string;
  photo_path: string;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  reason: IgnoreReason;
  ignored_at: number;
}

const toOrphan = (r: OrphanRow): OrphanedIgnore => ({
  id: r.id,
  place: placeOf(r.content_hash, r.photo_path, r.box_x, r.box_y, r.box_w, r.box_h),
  reason: r.reason,
  ignoredAt: r.ignored_at,
});

/**
 * `ignored_faces`: faces no person holds and clustering never reads (FaceRepository leaves them out of the
 * clustering vectors and the Unsorted pool). The people module decides; this only stores.
 *
 * A row goes with its face (ON DELETE CASCADE); code that removes a face with its photo first keeps its ignore
 * in `orphaned_ignores` (photo-lifecycle.ts), and ignores the face again when the same content is back.
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

  /** The ignore of face `faceId`, which leaves the library from `place`, waits as an orphaned ignore. */
  orphan(faceId: number, place: FacePlace, now = Date.now()): void {
    const [row] = this.inScope([faceId]);
    if (!row) return;
    this.db
      .prepare(
        `INSERT INTO orphaned_ignores (content_hash, photo_path, box_x, box_y, box_w, box_h, reason, ignored_at, orphaned_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...placeColumns(place), row.reason, row.ignoredAt, now);
    this.deleteInScope([faceId]);
  }

  /** Orphaned ignores from photos of this content, oldest first. */
  orphansByHash(contentHash: string): OrphanedIgnore[] {
    const rows = this.db
      .prepare('SELECT * FROM orphaned_ignores WHERE content_hash = ? ORDER BY id')
      .all(contentHash) as OrphanRow[];
    return rows.map(toOrphan);
  }

  orphans(): OrphanedIgnore[] {
    return (this.db.prepare('SELECT * FROM orphaned_ignores ORDER BY id').all() as OrphanRow[]).map(toOrphan);
  }

  deleteOrphan(id: number): void {
    this.db.prepare('DELETE FROM orphaned_ignores WHERE id = ?').run(id);
  }
}
