import type { Db } from './database.js';

/** Two faces the user said are not the same person, smaller face id first. */
export interface Separation {
  faceA: number;
  faceB: number;
  decidedAt: number;
}

interface SeparationRow {
  face_a: number;
  face_b: number;
  decided_at: number;
}

const toSeparation = (r: SeparationRow): Separation => ({ faceA: r.face_a, faceB: r.face_b, decidedAt: r.decided_at });

/**
 * "Not this person" said about a person with no confirmed faces: the rejected face is kept apart from the
 * faces that person held at that moment. Stored as face pairs, because such a person is only what the
 * clustering made of it and has no identity of its own to reject against; recorded once, the pairs make every
 * later re-grouping give the same answer (a rejection measured against the person's current faces would
 * change meaning as the person changes).
 */
export class SeparationRepository {
  constructor(private readonly db: Db) {}

  /** Records that `face` is not the same person as any of `others`. */
  separate(face: number, others: readonly number[], now = Date.now()): void {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO face_separations (face_a, face_b, decided_at) VALUES (?, ?, ?)',
    );
    for (const other of others) if (other !== face) insert.run(Math.min(face, other), Math.max(face, other), now);
  }

  /** Every pair, as [smaller, larger] face ids. */
  pairs(): [number, number][] {
    const rows = this.db.prepare('SELECT face_a, face_b FROM face_separations ORDER BY face_a, face_b').all() as {
      face_a: number;
      face_b: number;
    }[];
    return rows.map((r) => [r.face_a, r.face_b]);
  }

  /** Pairs that involve any of `faceIds` (for undo snapshots). */
  involving(faceIds: readonly number[]): Separation[] {
    if (faceIds.length === 0) return [];
    const ids = JSON.stringify(faceIds);
    return (
      this.db
        .prepare(
          `SELECT * FROM face_separations WHERE face_a IN (SELECT value FROM json_each(?))
           OR face_b IN (SELECT value FROM json_each(?)) ORDER BY face_a, face_b`,
        )
        .all(ids, ids) as SeparationRow[]
    ).map(toSeparation);
  }

  deleteInvolving(faceIds: readonly number[]): void {
    if (faceIds.length === 0) return;
    const ids = JSON.stringify(faceIds);
    this.db
      .prepare(
        `DELETE FROM face_separations WHERE face_a IN (SELECT value FROM json_each(?))
         OR face_b IN (SELECT value FROM json_each(?))`,
      )
      .run(ids, ids);
  }

  insert(s: Separation): void {
    this.db
      .prepare('INSERT OR IGNORE INTO face_separations (face_a, face_b, decided_at) VALUES (?, ?, ?)')
      .run(s.faceA, s.faceB, s.decidedAt);
  }
}
