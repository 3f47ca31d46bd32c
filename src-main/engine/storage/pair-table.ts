import type { Db } from './database.js';

/** A stored unordered pair, smaller id first, with when it was recorded. */
export interface StoredPair {
  a: number;
  b: number;
  at: number;
}

/**
 * The SQL shared by tables of unordered id pairs (dismissed merge suggestions: person pairs; "not the same
 * person": face pairs). Each such table has three columns, the smaller id, the larger id and a time, and a
 * unique key on the pair; the repositories over it give the pair and its columns their own names.
 */
export class PairTable {
  private readonly select: string;

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly columns: { a: string; b: string; at: string },
  ) {
    this.select = `SELECT ${columns.a} AS a, ${columns.b} AS b, ${columns.at} AS at FROM ${table}`;
  }

  /** Stores the pair (in either order) once; a pair already there keeps its first time. */
  insert(x: number, y: number, at: number): void {
    const { a, b, at: time } = this.columns;
    this.db
      .prepare(`INSERT OR IGNORE INTO ${this.table} (${a}, ${b}, ${time}) VALUES (?, ?, ?)`)
      .run(Math.min(x, y), Math.max(x, y), at);
  }

  all(): StoredPair[] {
    return this.db.prepare(`${this.select} ORDER BY a, b`).all() as StoredPair[];
  }

  /** Pairs with either side among `ids` (for undo snapshots). */
  involving(ids: readonly number[]): StoredPair[] {
    if (ids.length === 0) return [];
    const json = JSON.stringify(ids);
    return this.db.prepare(`${this.select} ${this.whereInvolving()} ORDER BY a, b`).all(json, json) as StoredPair[];
  }

  deleteInvolving(ids: readonly number[]): void {
    if (ids.length === 0) return;
    const json = JSON.stringify(ids);
    this.db.prepare(`DELETE FROM ${this.table} ${this.whereInvolving()}`).run(json, json);
  }

  private whereInvolving(): string {
    const { a, b } = this.columns;
    return `WHERE ${a} IN (SELECT value FROM json_each(?)) OR ${b} IN (SELECT value FROM json_each(?))`;
  }
}
