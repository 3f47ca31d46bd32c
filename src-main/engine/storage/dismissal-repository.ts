import type { Db } from './database.js';
import { PairTable, type StoredPair } from './pair-table.js';

export interface Dismissal {
  personA: number;
  personB: number;
  dismissedAt: number;
}

const toDismissal = (p: StoredPair): Dismissal => ({ personA: p.a, personB: p.b, dismissedAt: p.at });

/** Merge suggestions the user dismissed: unordered pairs of people, stored smaller id first. */
export class DismissalRepository {
  private readonly pairs: PairTable;

  constructor(db: Db) {
    this.pairs = new PairTable(db, 'dismissed_suggestions', { a: 'person_a', b: 'person_b', at: 'dismissed_at' });
  }

  dismiss(a: number, b: number, now = Date.now()): void {
    this.pairs.insert(a, b, now);
  }

  /** Every dismissed pair as a key `${smaller}:${larger}`. */
  keys(): Set<string> {
    return new Set(this.pairs.all().map((p) => `${p.a}:${p.b}`));
  }

  listInvolving(personIds: readonly number[]): Dismissal[] {
    return this.pairs.involving(personIds).map(toDismissal);
  }

  deleteInvolving(personIds: readonly number[]): void {
    this.pairs.deleteInvolving(personIds);
  }

  insert(d: Dismissal): void {
    this.pairs.insert(d.personA, d.personB, d.dismissedAt);
  }
}
