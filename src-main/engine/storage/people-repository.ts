import type { Db } from './database.js';
import { freshId } from './fresh-id.js';
import type { Person, PersonRowSnapshot } from './types.js';

/** A people row as stored (the exact snapshot undo keeps is the same shape). */
type PersonRow = PersonRowSnapshot;

const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  name: r.name,
  hidden: r.hidden !== 0,
  coverFaceId: r.cover_face_id,
  createdAt: r.created_at,
});

/**
 * People storage; the clustering logic lives in src-main/engine/people/. `create` never hands an id out twice
 * (fresh-id.ts): undo snapshots refer to people by id.
 */
export class PeopleRepository {
  constructor(private readonly db: Db) {}

  /** Creates a person with an id never used before in this library (undo snapshots refer to people by id). */
  create(name: string | null, now = Date.now()): number {
    const id = freshId(this.db, 'people', 'people.maxId');
    this.db.prepare('INSERT INTO people (id, name, created_at) VALUES (?, ?, ?)').run(id, name, now);
    return id;
  }

  get(id: number): Person | undefined {
    const r = this.db.prepare('SELECT * FROM people WHERE id = ?').get(id) as PersonRow | undefined;
    return r && toPerson(r);
  }

  list(): Person[] {
    return (this.db.prepare('SELECT * FROM people ORDER BY id').all() as PersonRow[]).map(toPerson);
  }

  rename(id: number, name: string | null): void {
    this.db.prepare('UPDATE people SET name = ? WHERE id = ?').run(name, id);
  }

  setHidden(id: number, hidden: boolean): void {
    this.db.prepare('UPDATE people SET hidden = ? WHERE id = ?').run(hidden ? 1 : 0, id);
  }

  setCover(id: number, faceId: number | null): void {
    this.db.prepare('UPDATE people SET cover_face_id = ? WHERE id = ?').run(faceId, id);
  }

  /**
   * Deletes a person. Fails (FOREIGN KEY constraint) while any decision, live or orphaned, names them:
   * move those first with DecisionRepository.reassignPerson.
   */
  delete(id: number): void {
    this.db.prepare('DELETE FROM people WHERE id = ?').run(id);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM people').get() as { n: number }).n;
  }

  /** Clears cover faces that no longer belong to their person. */
  clearStrayCovers(): void {
    this.db
      .prepare(
        `UPDATE people SET cover_face_id = NULL WHERE cover_face_id IS NOT NULL AND NOT EXISTS
         (SELECT 1 FROM faces f WHERE f.id = people.cover_face_id AND f.person_id = people.id)`,
      )
      .run();
  }

  // ---- exact rows (undo snapshots, remembered groupings)

  rows(ids: readonly number[]): PersonRowSnapshot[] {
    if (ids.length === 0) return [];
    return this.db
      .prepare('SELECT * FROM people WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(JSON.stringify(ids)) as PersonRowSnapshot[];
  }

  /** Re-creates a deleted person row with its original id, or overwrites an existing one. */
  putRow(r: PersonRowSnapshot): void {
    this.db
      .prepare(
        `INSERT INTO people (id, name, hidden, cover_face_id, created_at) VALUES (@id, @name, @hidden, @cover_face_id, @created_at)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, hidden = excluded.hidden,
         cover_face_id = excluded.cover_face_id, created_at = excluded.created_at`,
      )
      .run(r);
  }
}
