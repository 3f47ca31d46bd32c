import type { Db } from './database.js';
import { SettingsRepository } from './settings-repository.js';

/**
 * The id for a new row of `table` that this library has never used: SQLite hands the largest id out again
 * after that row is deleted, and ids that undo snapshots or the user ("version 3") refer to must not come
 * back naming something else. The high-water mark is kept in the settings table under `key` and advanced
 * here, so call it in the transaction that inserts the row.
 */
export function freshId(db: Db, table: 'people' | 'embedding_versions' | 'faces', key: string): number {
  const settings = new SettingsRepository(db);
  const max = (db.prepare(`SELECT COALESCE(MAX(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
  const id = Math.max(max, Number(settings.get<number>(key) ?? 0)) + 1;
  settings.set(key, id);
  return id;
}
