import type { Db } from './database.js';

export interface Dismissal {
  personA: number;
  personB: number;
  dismissedAt: number;
}

interface DismissalRow {
  person_a: number;
  person_b: number;
  dismissed_at: number;
}

const toDismissal = (r: DismissalRow): Dismissal => ({
  personA: r.person_a,
  personB: r.person_b,
  dismissedAt: r.dismissed_at,
});

/** Merge suggestions the user dismissed: unordered pairs of people, stored smaller id first. */
export class DismissalRepository {
  constructor(private readonly db: Db) {}

  dismiss(a: number, b: number, now = Date.now()): void {
    const [x, y] = a < b ? [a, b] : [b, a];
    this.db
      .prepare('INSERT OR IGNORE INTO dismissed_suggestions (person_a, person_b, dismissed_at) VALUES (?, ?, ?)')
      .run(x, y, now);
  }

  /** Every dismissed pair as a key `${smaller}:${larger}`. */
  keys(): Set<string> {
    const rows = this.db.prepare('SELECT person_a, person_b FROM dismissed_suggestions').all() as DismissalRow[];
    return new Set(rows.map((r) => `${r.person_a}:${r.person_b}`));
  }

  listInvolving(personIds: readonly number[]): Dismissal[] {
    if (personIds.length === 0) return [];
    const ids = JSON.stringify(personIds);
    return (
      this.db
        .prepare(
          `SELECT * FROM dismissed_suggestions WHERE person_a IN (SELECT value FROM json_each(?))
           OR person_b IN (SELECT value FROM json_each(?)) ORDER BY person_a, person_b`,
        )
        .all(ids, ids) as DismissalRow[]
    ).map(toDismissal);
  }

  deleteInvolving(personIds: readonly number[]): void {
    if (personIds.length === 0) return;
    const ids = JSON.stringify(personIds);
    this.db
      .prepare(
        `DELETE FROM dismissed_suggestions WHERE person_a IN (SELECT value FROM json_each(?))
         OR person_b IN (SELECT value FROM json_each(?))`,
      )
      .run(ids, ids);
  }

  insert(d: Dismissal): void {
    this.db
      .prepare('INSERT OR IGNORE INTO dismissed_suggestions (person_a, person_b, dismissed_at) VALUES (?, ?, ?)')
      .run(d.personA, d.personB, d.dismissedAt);
  }
}
