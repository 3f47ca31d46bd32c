import type { Db } from './database.js';
import type { Person } from './types.js';

interface PersonRow {
  id: number;
  name: string | null;
  hidden: number;
  cover_face_id: number | null;
  created_at: number;
}

const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  name: r.name,
  hidden: r.hidden !== 0,
  coverFaceId: r.cover_face_id,
  createdAt: r.created_at,
});

/**
 * Minimal people storage; the clustering logic lives in src-main/engine/people/. People are created only by
 * PeopleStateRepository.createPerson, which never hands an id out twice (fresh-id.ts).
 */
export class PeopleRepository {
  constructor(private readonly db: Db) {}

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
}
