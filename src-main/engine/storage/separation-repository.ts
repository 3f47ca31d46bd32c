import type { Db } from './database.js';
import { PairTable, type StoredPair } from './pair-table.js';

/** Two faces the user said are not the same person, smaller face id first. */
export interface Separation {
  faceA: number;
  faceB: number;
  decidedAt: number;
}

const toSeparation = (p: StoredPair): Separation => ({ faceA: p.a, faceB: p.b, decidedAt: p.at });

/**
 * "Not this person" said about a person with no confirmed faces: the rejected face is kept apart from the
 * faces that person held at that moment. Stored as face pairs, because such a person is only what the
 * clustering made of it and has no identity of its own to reject against; recorded once, the pairs make every
 * later re-grouping give the same answer (a rejection measured against the person's current faces would
 * change meaning as the person changes).
 */
export class SeparationRepository {
  private readonly table: PairTable;

  constructor(db: Db) {
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
}
