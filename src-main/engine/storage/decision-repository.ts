import { fromBlob, toBlob } from './blob.js';
import type { Db } from './database.js';
import { rowBox } from './face-repository.js';
import type {
  Decision,
  DecisionRowSnapshot,
  FaceDecision,
  OrphanedDecision,
  OrphanPersonSnapshot,
  OrphanReason,
} from './types.js';

/** A face_decisions row as stored (the exact snapshot undo keeps is the same shape). */
type DecisionRow = DecisionRowSnapshot;

interface OrphanRow {
  id: number;
  person_id: number;
  decision: Decision;
  decided_at: number;
  content_hash: string | null;
  photo_path: string;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  embedding: Buffer | null;
  model_version: string | null;
  orphaned_at: number;
  reason: OrphanReason;
}

const toDecision = (r: DecisionRow): FaceDecision => ({
  id: r.id,
  faceId: r.face_id,
  personId: r.person_id,
  decision: r.decision,
  decidedAt: r.decided_at,
});

const toOrphan = (r: OrphanRow): OrphanedDecision => ({
  id: r.id,
  personId: r.person_id,
  decision: r.decision,
  decidedAt: r.decided_at,
  contentHash: r.content_hash,
  photoPath: r.photo_path,
  box: rowBox(r),
  embedding: r.embedding ? fromBlob(r.embedding) : null,
  modelVersion: r.model_version,
  orphanedAt: r.orphaned_at,
  reason: r.reason,
});

/** An orphaned decision as recorded: the row without the id and time the repository assigns. */
export type OrphanInput = Omit<OrphanedDecision, 'id' | 'orphanedAt'>;

/**
 * The user's decisions (face_decisions) and the decisions whose face is gone (orphaned_decisions): the most
 * valuable rows in the database. Nothing here deletes one without a trace, except an undo putting back the
 * exact rows it snapshotted (deleteInScope then insertRow).
 */
export class DecisionRepository {
  constructor(private readonly db: Db) {}

  /** Records (or replaces) the user's decision about a face and a person. */
  record(faceId: number, personId: number, decision: Decision, now = Date.now()): FaceDecision {
    const r = this.db
      .prepare(
        `INSERT INTO face_decisions (face_id, person_id, decision, decided_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(face_id, person_id) DO UPDATE SET decision = excluded.decision, decided_at = excluded.decided_at
         RETURNING *`,
      )
      .get(faceId, personId, decision, now) as DecisionRow;
    return toDecision(r);
  }

  /** The user withdrew a decision (an explicit act, not a side effect of indexing). */
  withdraw(faceId: number, personId: number): void {
    this.db.prepare('DELETE FROM face_decisions WHERE face_id = ? AND person_id = ?').run(faceId, personId);
  }

  listByFace(faceId: number): FaceDecision[] {
    return (
      this.db.prepare('SELECT * FROM face_decisions WHERE face_id = ? ORDER BY id').all(faceId) as DecisionRow[]
    ).map(toDecision);
  }

  listByPhoto(photoId: number): FaceDecision[] {
    return (
      this.db
        .prepare('SELECT d.* FROM face_decisions d JOIN faces f ON f.id = d.face_id WHERE f.photo_id = ? ORDER BY d.id')
        .all(photoId) as DecisionRow[]
    ).map(toDecision);
  }

  listByPerson(personId: number): FaceDecision[] {
    return (
      this.db.prepare('SELECT * FROM face_decisions WHERE person_id = ? ORDER BY id').all(personId) as DecisionRow[]
    ).map(toDecision);
  }

  list(): FaceDecision[] {
    return (this.db.prepare('SELECT * FROM face_decisions ORDER BY id').all() as DecisionRow[]).map(toDecision);
  }

  /** Moves one decision to another face (carry-over after re-index), keeping its time. */
  moveToFace(decisionId: number, faceId: number): void {
    this.db.prepare('UPDATE face_decisions SET face_id = ? WHERE id = ?').run(faceId, decisionId);
  }

  /** Merging people: every decision, live and orphaned, about `from` now names `to`. */
  reassignPerson(from: number, to: number): void {
    // A face may already carry a decision about `to`; the existing one wins, the duplicate about `from` goes.
    this.db
      .prepare(
        `DELETE FROM face_decisions WHERE person_id = @from
         AND face_id IN (SELECT face_id FROM face_decisions WHERE person_id = @to)`,
      )
      .run({ from, to });
    this.db.prepare('UPDATE face_decisions SET person_id = ? WHERE person_id = ?').run(to, from);
    this.db.prepare('UPDATE orphaned_decisions SET person_id = ? WHERE person_id = ?').run(to, from);
  }

  orphan(input: OrphanInput, now = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO orphaned_decisions (person_id, decision, decided_at, content_hash, photo_path, box_x, box_y, box_w, box_h,
         embedding, model_version, orphaned_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.personId,
        input.decision,
        input.decidedAt,
        input.contentHash,
        input.photoPath,
        input.box.x,
        input.box.y,
        input.box.width,
        input.box.height,
        input.embedding ? toBlob(input.embedding) : null,
        input.modelVersion,
        now,
        input.reason,
      );
  }

  delete(decisionId: number): void {
    this.db.prepare('DELETE FROM face_decisions WHERE id = ?').run(decisionId);
  }

  orphans(): OrphanedDecision[] {
    return (this.db.prepare('SELECT * FROM orphaned_decisions ORDER BY id').all() as OrphanRow[]).map(toOrphan);
  }

  orphansByHash(contentHash: string): OrphanedDecision[] {
    return (
      this.db
        .prepare('SELECT * FROM orphaned_decisions WHERE content_hash = ? ORDER BY id')
        .all(contentHash) as OrphanRow[]
    ).map(toOrphan);
  }

  deleteOrphan(id: number): void {
    this.db.prepare('DELETE FROM orphaned_decisions WHERE id = ?').run(id);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM face_decisions').get() as { n: number }).n;
  }

  orphanCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM orphaned_decisions').get() as { n: number }).n;
  }

  /** People ids referenced by any live or orphaned decision. */
  peopleWithDecisions(): Set<number> {
    const rows = this.db
      .prepare('SELECT person_id FROM face_decisions UNION SELECT person_id FROM orphaned_decisions')
      .all() as { person_id: number }[];
    return new Set(rows.map((r) => r.person_id));
  }

  // ---- exact rows (undo snapshots)

  /** Decisions about any of the faces or any of the people. */
  inScope(faceIds: readonly number[], personIds: readonly number[]): DecisionRowSnapshot[] {
    return this.db
      .prepare(
        `SELECT * FROM face_decisions WHERE face_id IN (SELECT value FROM json_each(?))
         OR person_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(JSON.stringify(faceIds), JSON.stringify(personIds)) as DecisionRowSnapshot[];
  }

  deleteInScope(faceIds: readonly number[], personIds: readonly number[]): void {
    this.db
      .prepare(
        `DELETE FROM face_decisions WHERE face_id IN (SELECT value FROM json_each(?))
         OR person_id IN (SELECT value FROM json_each(?))`,
      )
      .run(JSON.stringify(faceIds), JSON.stringify(personIds));
  }

  /** Puts a snapshotted decision back with its id and time. */
  insertRow(d: DecisionRowSnapshot): void {
    this.db
      .prepare('INSERT INTO face_decisions (id, face_id, person_id, decision, decided_at) VALUES (?, ?, ?, ?, ?)')
      .run(d.id, d.face_id, d.person_id, d.decision, d.decided_at);
  }

  orphansOfPeople(personIds: readonly number[]): OrphanPersonSnapshot[] {
    if (personIds.length === 0) return [];
    return this.db
      .prepare(
        'SELECT id, person_id FROM orphaned_decisions WHERE person_id IN (SELECT value FROM json_each(?)) ORDER BY id',
      )
      .all(JSON.stringify(personIds)) as OrphanPersonSnapshot[];
  }

  setOrphanPerson(orphanId: number, personId: number): void {
    this.db.prepare('UPDATE orphaned_decisions SET person_id = ? WHERE id = ?').run(personId, orphanId);
  }
}
