import type { Db } from './database.js';
import { PairTable, type StoredPair } from './pair-table.js';
import { placeColumns, placeOf, type FacePlace } from './types.js';

/** Two faces the user said are not the same person, smaller face id first. */
export interface Separation {
  faceA: number;
  faceB: number;
  decidedAt: number;
}

/**
 * A separation whose face (or faces) left the library with its photo, each side where its face was; put back
 * when both are there again.
 */
export interface OrphanedSeparation {
  id: number;
  a: FacePlace;
  b: FacePlace;
  decidedAt: number;
}

interface OrphanRow {
  id: number;
  hash_a: string;
  path_a: string;
  box_a_x: number;
  box_a_y: number;
  box_a_w: number;
  box_a_h: number;
  hash_b: string;
  path_b: string;
  box_b_x: number;
  box_b_y: number;
  box_b_w: number;
  box_b_h: number;
  decided_at: number;
}

const toOrphan = (r: OrphanRow): OrphanedSeparation => ({
  id: r.id,
  a: placeOf(r.hash_a, r.path_a, r.box_a_x, r.box_a_y, r.box_a_w, r.box_a_h),
  b: placeOf(r.hash_b, r.path_b, r.box_b_x, r.box_b_y, r.box_b_w, r.box_b_h),
  decidedAt: r.decided_at,
});

const toSeparation = (p: StoredPair): Separation => ({ faceA: p.a, faceB: p.b, decidedAt: p.at });

/**
 * "Not this person" said about a person with no confirmed faces: the rejected face is kept apart from the
 * faces that person held at that moment. Stored as face pairs, because such a person is only what the
 * clustering made of it and has no identity of its own to reject against; recorded once, the pairs make every
 * later re-grouping give the same answer (a rejection measured against the person's current faces would
 * change meaning as the person changes).
 *
 * A pair goes with either face (ON DELETE CASCADE); code that removes a face with its photo first keeps its
 * pairs as orphaned separations (photo-lifecycle.ts), and puts them back when both faces are there again.
 */
export class SeparationRepository {
  private readonly table: PairTable;

  constructor(private readonly db: Db) {
    this.table = new PairTable(db, 'face_separations', { a: 'face_a', b: 'face_b', at: 'decided_at' });
  }

  /** Records that `face` is not the same person as any of `others`. */
  separate(face: number, others: readonly number[], now = Date.now()): void {
    for (const other of others) if (other !== face) this.table.insert(face, other, now);
  }

  /** Every pair, as [smaller, larger] face ids. */
  pairs(): [number, number][] {
    return this.table.all().map((p) => [p.a, p.b]);
  }

  /** Pairs that involve any of `faceIds` (for undo snapshots). */
  involving(faceIds: readonly number[]): Separation[] {
    return this.table.involving(faceIds).map(toSeparation);
  }

  deleteInvolving(faceIds: readonly number[]): void {
    this.table.deleteInvolving(faceIds);
  }

  insert(s: Separation): void {
    this.table.insert(s.faceA, s.faceB, s.decidedAt);
  }

  /** Re-analysis: the pairs of face `from` now hold for face `to` (the same face in the new analysis). */
  moveToFace(from: number, to: number): void {
    const moved = this.involving([from]);
    this.deleteInvolving([from]);
    for (const p of moved) {
      const other = p.faceA === from ? p.faceB : p.faceA;
      if (other !== to) this.table.insert(to, other, p.decidedAt);
    }
  }

  orphan(a: FacePlace, b: FacePlace, decidedAt: number, now = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO orphaned_separations (hash_a, path_a, box_a_x, box_a_y, box_a_w, box_a_h,
         hash_b, path_b, box_b_x, box_b_y, box_b_w, box_b_h, decided_at, orphaned_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...placeColumns(a), ...placeColumns(b), decidedAt, now);
  }

  /** Orphaned separations with a side in a photo of this content, oldest first. */
  orphansByHash(contentHash: string): OrphanedSeparation[] {
    const rows = this.db
      .prepare('SELECT * FROM orphaned_separations WHERE hash_a = ? OR hash_b = ? ORDER BY id')
      .all(contentHash, contentHash) as OrphanRow[];
    return rows.map(toOrphan);
  }

  orphans(): OrphanedSeparation[] {
    return (this.db.prepare('SELECT * FROM orphaned_separations ORDER BY id').all() as OrphanRow[]).map(toOrphan);
  }

  deleteOrphan(id: number): void {
    this.db.prepare('DELETE FROM orphaned_separations WHERE id = ?').run(id);
  }
}
